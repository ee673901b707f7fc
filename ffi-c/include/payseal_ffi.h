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
};
typedef uint32_t PaysealResult;

enum PaysealJsonDialect
 {
    PAYSEAL_JSON_JS = 0,
    PAYSEAL_JSON_PHP = 1,
};
typedef uint32_t PaysealJsonDialect;

enum PaysealJsonFlags
 {
    PAYSEAL_JSON_UNESCAPED_SLASHES = 64,
    PAYSEAL_JSON_UNESCAPED_UNICODE = 256,
};
typedef uint32_t PaysealJsonFlags;

typedef struct PaysealHmacKey PaysealHmacKey;

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

const char *payseal_result_name(uint32_t code);

const char *payseal_result_describe(uint32_t code);
