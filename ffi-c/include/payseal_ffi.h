// payseal C ABI for PHP FFI::cdef; generated from ffi-c/src, do not edit.













enum PaysealResult
 {
    PAYSEAL_OK = 0,
    PAYSEAL_BUFFER_TOO_SMALL = 1,
    PAYSEAL_NULL_POINTER = 2,
    PAYSEAL_INVALID_ARGUMENT = 3,
    PAYSEAL_INTERNAL = 4,
    PAYSEAL_INVALID_ENCODING = 5,
    PAYSEAL_INVALID_KEY = 6,
    PAYSEAL_RANDOMNESS = 7,
    PAYSEAL_JSON_SYNTAX = 10,
    PAYSEAL_JSON_INVALID_UTF8 = 11,
    PAYSEAL_JSON_DUPLICATE_KEY = 12,
    PAYSEAL_JSON_DEPTH = 13,
    PAYSEAL_JSON_NUMBER_RANGE = 14,
    PAYSEAL_JSON_LONE_SURROGATE = 15,
    PAYSEAL_BAD_SIGNATURE = 20,
    PAYSEAL_EXPIRED = 21,
    PAYSEAL_MALFORMED = 22,
    PAYSEAL_MISMATCH = 23,
    PAYSEAL_MALFORMED_HASH = 24,
    PAYSEAL_MISSING_HEADER = 30,
    PAYSEAL_MALFORMED_HEADER = 31,
    PAYSEAL_MALFORMED_BODY = 32,
    PAYSEAL_TIMESTAMP_TOO_OLD = 33,
    PAYSEAL_TIMESTAMP_TOO_NEW = 34,
    PAYSEAL_TOO_MANY_SIGNATURES = 35,
    PAYSEAL_TOO_LARGE = 36,
    PAYSEAL_COST_OUT_OF_RANGE = 40,
    PAYSEAL_SECRET_TOO_LONG = 41,
    PAYSEAL_SECRET_CONTAINS_NUL = 42,
    PAYSEAL_KEY_UNKNOWN_PREFIX = 43,
    PAYSEAL_KEY_BAD_LENGTH = 44,
    PAYSEAL_KEY_BAD_CHARACTER = 45,
    PAYSEAL_KEY_ENVIRONMENT_MISMATCH = 46,
    PAYSEAL_KEY_NOT_PUBLISHABLE = 47,
    PAYSEAL_KEY_NOT_SECRET = 48,
    PAYSEAL_INVALID_TABLE_LINK = 49,
    PAYSEAL_NO_SECRET = 50,
    PAYSEAL_TOO_MANY_SECRETS = 51,
    PAYSEAL_EMPTY_SECRET = 52,
    PAYSEAL_MALFORMED_SECRET = 53,
    PAYSEAL_EMPTY_SIGNATURE = 54,
    PAYSEAL_SIGNATURE_TOO_LONG = 55,
    PAYSEAL_PAYLOAD_NOT_OBJECT = 56,
    PAYSEAL_ALG_NOT_ALLOWED = 60,
    PAYSEAL_CRIT_UNSUPPORTED = 61,
    PAYSEAL_KEY_NOT_FOUND = 62,
    PAYSEAL_NOT_YET_VALID = 63,
    PAYSEAL_AUDIENCE = 64,
    PAYSEAL_ISSUER = 65,
};
typedef uint32_t PaysealResult;

enum PaysealJsonDialect
 {
    PAYSEAL_JSON_JS = 0,
    PAYSEAL_JSON_PHP = 1,
    PAYSEAL_JSON_JCS = 2,
};
typedef uint32_t PaysealJsonDialect;

enum PaysealJsonFlags
 {
    PAYSEAL_JSON_UNESCAPED_SLASHES = 64,
    PAYSEAL_JSON_UNESCAPED_UNICODE = 256,
};
typedef uint32_t PaysealJsonFlags;

enum PaysealWebhookScheme
 {
    PAYSEAL_WEBHOOK_EUPAY = 0,
    PAYSEAL_WEBHOOK_GITHUB = 1,
    PAYSEAL_WEBHOOK_STRIPE = 2,
    PAYSEAL_WEBHOOK_STANDARD = 3,
    PAYSEAL_WEBHOOK_SHOPIFY = 4,
    PAYSEAL_WEBHOOK_CHECKOUT = 5,
    PAYSEAL_WEBHOOK_ADYEN_ITEM = 6,
    PAYSEAL_WEBHOOK_SPREEDLY = 7,
    PAYSEAL_WEBHOOK_OPPWA = 8,
    PAYSEAL_WEBHOOK_OPPWA_BASE64 = 9,
};
typedef uint32_t PaysealWebhookScheme;

enum PaysealKeyKind
 {
    PAYSEAL_KEY_PUBLISHABLE = 0,
    PAYSEAL_KEY_SECRET = 1,
};
typedef uint32_t PaysealKeyKind;

enum PaysealKeyEnvironment
 {
    PAYSEAL_KEY_LIVE = 0,
    PAYSEAL_KEY_TEST = 1,
};
typedef uint32_t PaysealKeyEnvironment;

enum PaysealPaylandsMode
 {
    PAYSEAL_PAYLANDS_NOTIFICATION = 0,
    PAYSEAL_PAYLANDS_RESPONSE = 1,
};
typedef uint32_t PaysealPaylandsMode;

enum PaysealPaylandsFlags
 {
    PAYSEAL_PAYLANDS_FLAGS_DEFAULT = 0,
    PAYSEAL_PAYLANDS_FLAGS_UNESCAPED = 1,
    PAYSEAL_PAYLANDS_FLAGS_AUTO = 2,
};
typedef uint32_t PaysealPaylandsFlags;

enum PaysealQrPart
 {
    PAYSEAL_QR_URL = 0,
    PAYSEAL_QR_ENVELOPE_B64URL = 1,
    PAYSEAL_QR_ENVELOPE = 2,
    PAYSEAL_QR_CANONICAL = 3,
    PAYSEAL_QR_SIG_HEX = 4,
};
typedef uint32_t PaysealQrPart;

enum PaysealJwsPart
 {
    PAYSEAL_JWS_HEADER = 0,
    PAYSEAL_JWS_PAYLOAD = 1,
};
typedef uint32_t PaysealJwsPart;

enum PaysealRefreshStep
 {
    PAYSEAL_REFRESH_SHOULD_FETCH = 0,
    PAYSEAL_REFRESH_SHOULD_REFETCH_FOR_UNKNOWN_KID = 1,
    PAYSEAL_REFRESH_ATTEMPT = 2,
    PAYSEAL_REFRESH_SUCCEEDED = 3,
    PAYSEAL_REFRESH_FAILED = 4,
    PAYSEAL_REFRESH_HAS_SET = 5,
};
typedef uint32_t PaysealRefreshStep;

typedef struct PaysealHmacKey PaysealHmacKey;

typedef struct PaysealJwkSet PaysealJwkSet;

typedef struct PaysealJwksRefresher PaysealJwksRefresher;

typedef struct PaysealJwtVerifier PaysealJwtVerifier;

typedef struct PaysealPaylandsKey PaysealPaylandsKey;

typedef struct PaysealQrKey PaysealQrKey;

typedef struct PaysealSecretVerifier PaysealSecretVerifier;

typedef struct PaysealWebhookKeys PaysealWebhookKeys;

typedef struct PaysealErrorDetail {
    uint32_t code;
    bool has_offset;
    bool has_expires_at;
    bool has_needed;
    uint64_t offset;
    int64_t expires_at;
    uint64_t needed;
    const char *header;
    size_t header_len;
    const char *reason;
    size_t reason_len;
} PaysealErrorDetail;

typedef struct PaysealBytes {
    const char *ptr;
    size_t len;
} PaysealBytes;

typedef struct PaysealHeader {
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
} PaysealHeader;

typedef struct PaysealWebhookItem {
    const struct PaysealWebhookKeys *keys;
    const struct PaysealHeader *headers;
    size_t header_count;
    const char *body;
    size_t body_len;
} PaysealWebhookItem;

typedef struct PaysealSignOptions {
    const char *id;
    size_t id_len;
    const char *iv;
    size_t iv_len;
    const char *fields;
    size_t fields_len;
    const char *algorithm;
    size_t algorithm_len;
} PaysealSignOptions;

typedef struct PaysealHeaderOut {
    size_t name_off;
    size_t name_len;
    size_t value_off;
    size_t value_len;
} PaysealHeaderOut;

typedef struct PaysealSigned {
    size_t header_count;
    struct PaysealHeaderOut headers[3];
    bool has_body;
    size_t body_off;
    size_t body_len;
} PaysealSigned;

const char *payseal_version(void);

uint32_t payseal_abi_version(void);

PaysealResult payseal_hex_encode(const char *in_ptr,
                                 size_t in_len,
                                 char *out,
                                 size_t out_cap,
                                 size_t *out_written);

PaysealResult payseal_hex_decode(const char *in_ptr,
                                 size_t in_len,
                                 char *out,
                                 size_t out_cap,
                                 size_t *out_written);

PaysealResult payseal_base64url_encode(const char *in_ptr,
                                       size_t in_len,
                                       char *out,
                                       size_t out_cap,
                                       size_t *out_written);

PaysealResult payseal_base64url_decode(const char *in_ptr,
                                       size_t in_len,
                                       char *out,
                                       size_t out_cap,
                                       size_t *out_written);

PaysealResult payseal_base64_encode(const char *in_ptr,
                                    size_t in_len,
                                    char *out,
                                    size_t out_cap,
                                    size_t *out_written);

PaysealResult payseal_base64_decode(const char *in_ptr,
                                    size_t in_len,
                                    char *out,
                                    size_t out_cap,
                                    size_t *out_written);

PaysealResult payseal_compare_digest(const char *a,
                                     size_t a_len,
                                     const char *b,
                                     size_t b_len,
                                     bool *out_equal);

PaysealResult payseal_eupay_qr_key_new(const char *secret,
                                       size_t secret_len,
                                       struct PaysealQrKey **out_key);

void payseal_eupay_qr_key_free(struct PaysealQrKey *key);

PaysealResult payseal_eupay_qr_sign(const struct PaysealQrKey *key,
                                    const char *payload,
                                    size_t payload_len,
                                    char *out,
                                    size_t out_cap,
                                    size_t *out_written);

PaysealResult payseal_eupay_qr_sign_part(const struct PaysealQrKey *key,
                                         const char *payload,
                                         size_t payload_len,
                                         uint32_t part,
                                         char *out,
                                         size_t out_cap,
                                         size_t *out_written);

PaysealResult payseal_eupay_qr_verify(const struct PaysealQrKey *key,
                                      const char *qr,
                                      size_t qr_len,
                                      int64_t now,
                                      char *out,
                                      size_t out_cap,
                                      size_t *out_written);

PaysealResult payseal_eupay_qr_decode_unverified(const char *qr,
                                                 size_t qr_len,
                                                 char *out,
                                                 size_t out_cap,
                                                 size_t *out_written);

PaysealResult payseal_hmac_sha256_key_new(const char *key_ptr,
                                          size_t key_len,
                                          struct PaysealHmacKey **out_key);

void payseal_hmac_sha256_key_free(struct PaysealHmacKey *key);

PaysealResult payseal_hmac_sha256(const struct PaysealHmacKey *key,
                                  const char *msg_ptr,
                                  size_t msg_len,
                                  char *out,
                                  size_t out_cap,
                                  size_t *out_written);

PaysealResult payseal_hmac_sha256_verify(const struct PaysealHmacKey *key,
                                         const char *msg_ptr,
                                         size_t msg_len,
                                         const char *tag_ptr,
                                         size_t tag_len);

PaysealResult payseal_jwk_set_new(const char *doc,
                                  size_t doc_len,
                                  struct PaysealJwkSet **out_set);

void payseal_jwk_set_free(struct PaysealJwkSet *set);

PaysealResult payseal_jwk_set_len(const struct PaysealJwkSet *set,
                                  size_t *out_len);

PaysealResult payseal_jwk_set_skipped(const struct PaysealJwkSet *set,
                                      size_t *out_skipped);

PaysealResult payseal_jwk_set_kid(const struct PaysealJwkSet *set,
                                  size_t index,
                                  char *out,
                                  size_t out_cap,
                                  size_t *out_written,
                                  bool *out_has_kid);

PaysealResult payseal_jwt_verify(const struct PaysealJwkSet *set,
                                 const char *token,
                                 size_t token_len,
                                 const char *algorithms,
                                 size_t algorithms_len,
                                 const char *audience,
                                 size_t audience_len,
                                 const char *issuer,
                                 size_t issuer_len,
                                 uint64_t leeway,
                                 int64_t now,
                                 char *out,
                                 size_t out_cap,
                                 size_t *out_written);

PaysealResult payseal_jws_verify(const struct PaysealJwkSet *set,
                                 const char *token,
                                 size_t token_len,
                                 const char *algorithms,
                                 size_t algorithms_len,
                                 char *out,
                                 size_t out_cap,
                                 size_t *out_written);

PaysealResult payseal_jwt_verifier_new(const struct PaysealJwkSet *set,
                                       const char *algorithms,
                                       size_t algorithms_len,
                                       const char *audience,
                                       size_t audience_len,
                                       const char *issuer,
                                       size_t issuer_len,
                                       uint64_t leeway,
                                       struct PaysealJwtVerifier **out_verifier);

void payseal_jwt_verifier_free(struct PaysealJwtVerifier *verifier);

PaysealResult payseal_jwt_verifier_verify(const struct PaysealJwtVerifier *verifier,
                                          const char *token,
                                          size_t token_len,
                                          int64_t now,
                                          char *out,
                                          size_t out_cap,
                                          size_t *out_written);

PaysealResult payseal_jwt_verifier_verify_jws(const struct PaysealJwtVerifier *verifier,
                                              const char *token,
                                              size_t token_len,
                                              char *out,
                                              size_t out_cap,
                                              size_t *out_written);

PaysealResult payseal_jws_sign(const char *jwk,
                               size_t jwk_len,
                               const char *header,
                               size_t header_len,
                               const char *payload,
                               size_t payload_len,
                               char *out,
                               size_t out_cap,
                               size_t *out_written);

PaysealResult payseal_jwk_default_algorithm(const char *jwk,
                                            size_t jwk_len,
                                            char *out,
                                            size_t out_cap,
                                            size_t *out_written);

PaysealResult payseal_jwk_thumbprint(const char *jwk,
                                     size_t jwk_len,
                                     char *out,
                                     size_t out_cap,
                                     size_t *out_written);

PaysealResult payseal_jws_inspect(const char *token,
                                  size_t token_len,
                                  uint32_t part,
                                  char *out,
                                  size_t out_cap,
                                  size_t *out_written);

PaysealResult payseal_jwks_refresher_new(uint64_t max_age,
                                         uint64_t cooldown,
                                         struct PaysealJwksRefresher **out_refresher);

void payseal_jwks_refresher_free(struct PaysealJwksRefresher *refresher);

PaysealResult payseal_jwks_refresher_step(const struct PaysealJwksRefresher *refresher,
                                          uint32_t step,
                                          int64_t now,
                                          bool *out_answer);

PaysealResult payseal_json_canonicalize(uint32_t dialect,
                                        uint32_t flags,
                                        const char *in_ptr,
                                        size_t in_len,
                                        char *out,
                                        size_t out_cap,
                                        size_t *out_written);

PaysealResult payseal_json_canonical_len(uint32_t dialect,
                                         uint32_t flags,
                                         const char *in_ptr,
                                         size_t in_len,
                                         size_t *out_len);

PaysealResult payseal_json_dialect_from_name(const char *name,
                                             size_t name_len,
                                             bool unescaped_slashes,
                                             bool unescaped_unicode,
                                             uint32_t *out_dialect,
                                             uint32_t *out_flags);

PaysealResult payseal_paylands_key_new(const char *signature,
                                       size_t signature_len,
                                       struct PaysealPaylandsKey **out_key);

void payseal_paylands_key_free(struct PaysealPaylandsKey *key);

PaysealResult payseal_paylands_verify(const struct PaysealPaylandsKey *key,
                                      const char *body,
                                      size_t body_len,
                                      uint32_t mode,
                                      uint32_t flags,
                                      uint32_t *out_matched_flags);

PaysealResult payseal_paylands_hash(const struct PaysealPaylandsKey *key,
                                    const char *body,
                                    size_t body_len,
                                    uint32_t mode,
                                    uint32_t flags,
                                    char *out,
                                    size_t out_cap,
                                    size_t *out_written);

PaysealResult payseal_paylands_encode_data(const char *body,
                                           size_t body_len,
                                           uint32_t mode,
                                           uint32_t flags,
                                           char *out,
                                           size_t out_cap,
                                           size_t *out_written);

PaysealResult payseal_paylands_mode_from_name(const char *name,
                                              size_t name_len,
                                              uint32_t *out_mode);

PaysealResult payseal_paylands_flags_from_name(const char *name,
                                               size_t name_len,
                                               uint32_t *out_flags);

PaysealResult payseal_paylands_flags_name(uint32_t flags,
                                          const char **out_name,
                                          size_t *out_len);

const char *payseal_result_name(uint32_t code);

const char *payseal_result_describe(uint32_t code);

const char *payseal_result_class(uint32_t code);

PaysealResult payseal_last_error(struct PaysealErrorDetail *out);

struct PaysealErrorDetail payseal_last_error_value(void);

uint32_t payseal_last_error_details(void);

const char *payseal_last_error_header(void);

PaysealResult payseal_bcrypt_verify(const char *secret,
                                    size_t secret_len,
                                    const char *hash,
                                    size_t hash_len);

PaysealResult payseal_bcrypt_hash(const char *secret,
                                  size_t secret_len,
                                  uint32_t cost,
                                  const char *salt,
                                  size_t salt_len,
                                  char *out,
                                  size_t out_cap,
                                  size_t *out_written);

PaysealResult payseal_secret_verifier_new(size_t capacity,
                                          uint64_t ttl_seconds,
                                          struct PaysealSecretVerifier **out_verifier);

PaysealResult payseal_secret_verifier_shared(const char *name,
                                             size_t name_len,
                                             size_t capacity,
                                             uint64_t ttl_seconds,
                                             struct PaysealSecretVerifier **out_verifier);

PaysealResult payseal_secret_verifier_new_redis(size_t capacity,
                                                uint64_t ttl_seconds,
                                                const char *url,
                                                size_t url_len,
                                                const char *cache_key,
                                                size_t cache_key_len,
                                                uint32_t timeout_ms,
                                                struct PaysealSecretVerifier **out_verifier);

PaysealResult payseal_secret_verifier_shared_redis(const char *name,
                                                   size_t name_len,
                                                   size_t capacity,
                                                   uint64_t ttl_seconds,
                                                   const char *url,
                                                   size_t url_len,
                                                   const char *cache_key,
                                                   size_t cache_key_len,
                                                   uint32_t timeout_ms,
                                                   struct PaysealSecretVerifier **out_verifier);

void payseal_secret_verifier_free(struct PaysealSecretVerifier *verifier);

PaysealResult payseal_secret_verifier_verify(const struct PaysealSecretVerifier *verifier,
                                             const char *secret,
                                             size_t secret_len,
                                             const char *hash,
                                             size_t hash_len);

PaysealResult payseal_secret_verifier_stats(const struct PaysealSecretVerifier *verifier,
                                            uint64_t *out_hits,
                                            uint64_t *out_misses);

PaysealResult payseal_secret_verifier_store_hits(const struct PaysealSecretVerifier *verifier,
                                                 uint64_t *out_store_hits);

PaysealResult payseal_secret_verifier_config(const struct PaysealSecretVerifier *verifier,
                                             size_t *out_capacity,
                                             uint64_t *out_ttl_seconds);

PaysealResult payseal_secret_verifier_len(const struct PaysealSecretVerifier *verifier,
                                          size_t *out_len);

PaysealResult payseal_secret_verifier_clear(const struct PaysealSecretVerifier *verifier);

PaysealResult payseal_api_key_inspect(const char *key,
                                      size_t key_len,
                                      uint32_t *out_kind,
                                      uint32_t *out_env);

PaysealResult payseal_api_key_check_pair(const char *publishable,
                                         size_t publishable_len,
                                         const char *secret,
                                         size_t secret_len,
                                         uint32_t *out_env);

PaysealResult payseal_api_key_generate(uint32_t kind,
                                       uint32_t env,
                                       char *out,
                                       size_t out_cap,
                                       size_t *out_written);

PaysealResult payseal_table_token_generate(char *out,
                                           size_t out_cap,
                                           size_t *out_written);

PaysealResult payseal_table_url(const char *merchant,
                                size_t merchant_len,
                                const char *token,
                                size_t token_len,
                                const char *base,
                                size_t base_len,
                                char *out,
                                size_t out_cap,
                                size_t *out_written);

PaysealResult payseal_table_url_verify(const char *url,
                                       size_t url_len,
                                       const char *base,
                                       size_t base_len,
                                       const char *merchant,
                                       size_t merchant_len,
                                       const char *token,
                                       size_t token_len);

PaysealResult payseal_table_url_merchant(const char *url,
                                         size_t url_len,
                                         const char *base,
                                         size_t base_len,
                                         char *out,
                                         size_t out_cap,
                                         size_t *out_written);

PaysealResult payseal_webhook_scheme_from_name(const char *name,
                                               size_t name_len,
                                               uint32_t *out_scheme);

PaysealResult payseal_webhook_scheme_info(uint32_t scheme,
                                          size_t *out_header_count,
                                          bool *out_encrypted);

PaysealResult payseal_webhook_header_name(uint32_t scheme,
                                          size_t index,
                                          const char **out_name,
                                          size_t *out_len);

PaysealResult payseal_webhook_keys_new(uint32_t scheme,
                                       const struct PaysealBytes *secrets,
                                       size_t secret_count,
                                       struct PaysealWebhookKeys **out_keys);

PaysealResult payseal_webhook_keys_new_packed(uint32_t scheme,
                                              const char *secrets,
                                              size_t secrets_len,
                                              struct PaysealWebhookKeys **out_keys);

PaysealResult payseal_webhook_keys_shared(uint32_t scheme,
                                          const char *secrets,
                                          size_t secrets_len,
                                          struct PaysealWebhookKeys **out_keys);

void payseal_webhook_keys_free(struct PaysealWebhookKeys *keys);

PaysealResult payseal_webhook_verify(const struct PaysealWebhookKeys *keys,
                                     const struct PaysealHeader *headers,
                                     size_t header_count,
                                     const char *body,
                                     size_t body_len,
                                     int64_t now,
                                     uint64_t tolerance);

PaysealResult payseal_webhook_verify_values(const struct PaysealWebhookKeys *keys,
                                            const char *h0,
                                            size_t h0_len,
                                            const char *h1,
                                            size_t h1_len,
                                            const char *body,
                                            size_t body_len,
                                            int64_t now,
                                            uint64_t tolerance);

PaysealResult payseal_webhook_verify_shared(uint32_t scheme,
                                            const char *secrets,
                                            size_t secrets_len,
                                            const char *h0,
                                            size_t h0_len,
                                            const char *h1,
                                            size_t h1_len,
                                            const char *body,
                                            size_t body_len,
                                            int64_t now,
                                            uint64_t tolerance);

PaysealResult payseal_webhook_verify_once(uint32_t scheme,
                                          const char *secrets,
                                          size_t secrets_len,
                                          const char *h0,
                                          size_t h0_len,
                                          const char *h1,
                                          size_t h1_len,
                                          const char *body,
                                          size_t body_len,
                                          int64_t now,
                                          uint64_t tolerance);

PaysealResult payseal_webhook_verify_packed(const struct PaysealWebhookKeys *keys,
                                            const char *headers,
                                            size_t headers_len,
                                            const char *body,
                                            size_t body_len,
                                            int64_t now,
                                            uint64_t tolerance);

PaysealResult payseal_webhook_open_packed(const struct PaysealWebhookKeys *keys,
                                          const char *headers,
                                          size_t headers_len,
                                          const char *body,
                                          size_t body_len,
                                          int64_t now,
                                          uint64_t tolerance,
                                          char *out,
                                          size_t out_cap,
                                          size_t *out_written);

PaysealResult payseal_webhook_open(const struct PaysealWebhookKeys *keys,
                                   const struct PaysealHeader *headers,
                                   size_t header_count,
                                   const char *body,
                                   size_t body_len,
                                   int64_t now,
                                   uint64_t tolerance,
                                   char *out,
                                   size_t out_cap,
                                   size_t *out_written);

PaysealResult payseal_webhook_open_len(const struct PaysealWebhookKeys *keys,
                                       const char *body,
                                       size_t body_len,
                                       size_t *out_len);

PaysealResult payseal_webhook_verify_batch(const struct PaysealWebhookItem *items,
                                           size_t count,
                                           int64_t now,
                                           uint64_t tolerance,
                                           uint32_t threads,
                                           uint32_t *out_results);

PaysealResult payseal_webhook_sign_len(const struct PaysealWebhookKeys *keys,
                                       const char *body,
                                       size_t body_len,
                                       int64_t now,
                                       const struct PaysealSignOptions *opts,
                                       size_t *out_len);

PaysealResult payseal_webhook_sign(const struct PaysealWebhookKeys *keys,
                                   const char *body,
                                   size_t body_len,
                                   int64_t now,
                                   const struct PaysealSignOptions *opts,
                                   char *out,
                                   size_t out_cap,
                                   size_t *out_written,
                                   struct PaysealSigned *out_signed);
