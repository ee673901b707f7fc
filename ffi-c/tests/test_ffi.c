/*
 * The C ABI's own test, built by scripts/test-ffi.sh against the static library with
 * -fsanitize=address,undefined. Every export, with good input, NULL pointers, too-small
 * buffers and malformed input; outputs must stay untouched on failure. Known answers come from
 * public documentation (RFC 4231, GitHub's webhook example, NIST GCM test case 14, pyca/bcrypt)
 * or are computed through the ABI itself (signatures made with payseal_hmac_sha256).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "payseal.h"

static int passed, failed;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (cond) {                                                                  \
            passed++;                                                                \
        } else {                                                                     \
            failed++;                                                                \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                            \
    } while (0)

#define CHECK_RC(call, want) CHECK_RC_((call), (want), #call, __LINE__)
static void CHECK_RC_(PaysealResult got, PaysealResult want, const char *what, int line) {
    if (got == want) {
        passed++;
    } else {
        failed++;
        fprintf(stderr, "%s:%d: %s returned %u (%s), wanted %u (%s)\n", __FILE__, line, what, got,
                payseal_result_name(got), want, payseal_result_name(want));
    }
}

#define BYTES(s) (const uint8_t *)(s), (sizeof(s) - 1)
#define SENTINEL 0xA5

/* True when all n bytes of buf still hold the sentinel (nothing was written). */
static int untouched(const uint8_t *buf, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (buf[i] != SENTINEL) return 0;
    return 1;
}

static int same(const uint8_t *buf, size_t n, const char *want) {
    return n == strlen(want) && memcmp(buf, want, n) == 0;
}

typedef PaysealResult (*codec_fn)(const uint8_t *, size_t, uint8_t *, size_t, size_t *);

/* The shared caller-buffer contract, checked for one codec and one valid input. */
static void check_buffer_contract(codec_fn f, const uint8_t *in, size_t in_len, const char *want) {
    uint8_t out[64];
    size_t n = 12345, need = strlen(want);

    memset(out, SENTINEL, sizeof out);
    CHECK_RC(f(in, in_len, out, sizeof out, &n), PAYSEAL_OK);
    CHECK(same(out, n, want));

    /* Size query: out NULL with out_cap 0. */
    n = 12345;
    CHECK_RC(f(in, in_len, NULL, 0, &n), need ? PAYSEAL_BUFFER_TOO_SMALL : PAYSEAL_OK);
    CHECK(n == need);

    /* One byte short: the size needed, and nothing written. */
    if (need > 0) {
        memset(out, SENTINEL, sizeof out);
        n = 0;
        CHECK_RC(f(in, in_len, out, need - 1, &n), PAYSEAL_BUFFER_TOO_SMALL);
        CHECK(n == need);
        CHECK(untouched(out, sizeof out));
    }

    /* NULL pointers. */
    CHECK_RC(f(in, in_len, out, sizeof out, NULL), PAYSEAL_NULL_POINTER);
    n = 12345;
    CHECK_RC(f(in, in_len, NULL, 8, &n), PAYSEAL_NULL_POINTER);
    CHECK(n == 0);
    if (in_len > 0) CHECK_RC(f(NULL, in_len, out, sizeof out, &n), PAYSEAL_NULL_POINTER);
    CHECK_RC(f(NULL, 0, out, sizeof out, &n), PAYSEAL_OK);
    CHECK(n == 0);
}

static void test_meta(void) {
    CHECK(strcmp(payseal_version(), "") != 0);
    CHECK(payseal_abi_version() == PAYSEAL_ABI_VERSION);
    CHECK(strcmp(payseal_result_name(PAYSEAL_OK), "ok") == 0);
    CHECK(strcmp(payseal_result_name(PAYSEAL_JSON_SYNTAX), "syntax") == 0);
    CHECK(strcmp(payseal_result_name(PAYSEAL_TIMESTAMP_TOO_NEW), "timestamp_too_new") == 0);
    CHECK(strcmp(payseal_result_name(8), "unknown") == 0);
    CHECK(strcmp(payseal_result_name(0xFFFFFFFFu), "unknown") == 0);
    CHECK(strcmp(payseal_result_describe(0xFFFFFFFFu), "unknown result code") == 0);
    /* Every code in 0..99 has a name and a description; the known ones are distinct. */
    for (uint32_t c = 0; c < 100; c++) {
        CHECK(payseal_result_name(c) != NULL && payseal_result_describe(c) != NULL);
        if (strcmp(payseal_result_name(c), "unknown") == 0) continue;
        for (uint32_t d = c + 1; d < 100; d++)
            CHECK(strcmp(payseal_result_name(c), payseal_result_name(d)) != 0);
    }
}

static void test_hex(void) {
    uint8_t out[16];
    size_t n;
    check_buffer_contract(payseal_hex_encode, BYTES("\xde\xad\xbe\xef"), "deadbeef");
    check_buffer_contract(payseal_hex_encode, NULL, 0, "");
    check_buffer_contract(payseal_hex_decode, BYTES("DEADbeef"), "\xde\xad\xbe\xef");

    const char *bad[] = {"abc", "zz", "0g", "de ad", "\xff\xff"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        memset(out, SENTINEL, sizeof out);
        n = 12345;
        CHECK_RC(payseal_hex_decode((const uint8_t *)bad[i], strlen(bad[i]), out, sizeof out, &n),
                 PAYSEAL_INVALID_ENCODING);
        CHECK(n == 0 && untouched(out, sizeof out));
    }

    /* Overlapping input and output is refused. */
    uint8_t both[16] = "abcd";
    CHECK_RC(payseal_hex_encode(both, 4, both + 2, 8, &n), PAYSEAL_INVALID_ARGUMENT);
    CHECK_RC(payseal_hex_encode(both, 4, both + 4, 8, &n), PAYSEAL_OK);
    CHECK(same(both + 4, n, "61626364"));
}

static void test_base64url(void) {
    uint8_t out[16];
    size_t n;
    check_buffer_contract(payseal_base64url_encode, BYTES("\xfb\xff\x01\x02"), "-_8BAg");
    check_buffer_contract(payseal_base64url_decode, BYTES("-_8BAg"), "\xfb\xff\x01\x02");
    check_buffer_contract(payseal_base64url_decode, BYTES("-_8BAg=="), "\xfb\xff\x01\x02");
    check_buffer_contract(payseal_base64url_encode, BYTES("f"), "Zg");

    const char *bad[] = {"-_8BAg=", "+/8BAg", "Z", "Zg=", "Zm9v YmFy", "Zg==="};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        memset(out, SENTINEL, sizeof out);
        n = 12345;
        CHECK_RC(payseal_base64url_decode((const uint8_t *)bad[i], strlen(bad[i]), out, sizeof out, &n),
                 PAYSEAL_INVALID_ENCODING);
        CHECK(n == 0 && untouched(out, sizeof out));
    }
}

/* RFC 4231 test case 2. */
static const char JEFE_MSG[] = "what do ya want for nothing?";
static const char JEFE_TAG_HEX[] = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

static void test_hmac(void) {
    PaysealHmacKey *key = (PaysealHmacKey *)&key; /* not NULL: key_new must reset it */
    uint8_t tag[32], hex[64];
    size_t n;

    CHECK_RC(payseal_hmac_sha256_key_new(BYTES("Jefe"), NULL), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_hmac_sha256_key_new(NULL, 0, &key), PAYSEAL_EMPTY_SECRET);
    CHECK(key == NULL);
    CHECK_RC(payseal_hmac_sha256_key_new(NULL, 4, &key), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_hmac_sha256_key_new(BYTES("Jefe"), &key), PAYSEAL_OK);
    CHECK(key != NULL);

    memset(tag, SENTINEL, sizeof tag);
    CHECK_RC(payseal_hmac_sha256(key, BYTES(JEFE_MSG), tag, 31, &n), PAYSEAL_BUFFER_TOO_SMALL);
    CHECK(n == 32 && untouched(tag, sizeof tag));
    CHECK_RC(payseal_hmac_sha256(key, BYTES(JEFE_MSG), tag, sizeof tag, &n), PAYSEAL_OK);
    CHECK(n == 32);
    CHECK_RC(payseal_hex_encode(tag, n, hex, sizeof hex, &n), PAYSEAL_OK);
    CHECK(same(hex, n, JEFE_TAG_HEX));
    CHECK_RC(payseal_hmac_sha256(NULL, BYTES(JEFE_MSG), tag, sizeof tag, &n), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_hmac_sha256(key, NULL, 3, tag, sizeof tag, &n), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_hmac_sha256(key, BYTES(JEFE_MSG), tag, sizeof tag, NULL), PAYSEAL_NULL_POINTER);

    CHECK_RC(payseal_hmac_sha256_verify(key, BYTES(JEFE_MSG), tag, 32), PAYSEAL_OK);
    CHECK_RC(payseal_hmac_sha256_verify(key, BYTES(JEFE_MSG), tag, 31), PAYSEAL_BAD_SIGNATURE);
    CHECK_RC(payseal_hmac_sha256_verify(key, BYTES(JEFE_MSG), NULL, 0), PAYSEAL_BAD_SIGNATURE);
    CHECK_RC(payseal_hmac_sha256_verify(key, BYTES(JEFE_MSG), NULL, 32), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_hmac_sha256_verify(NULL, BYTES(JEFE_MSG), tag, 32), PAYSEAL_NULL_POINTER);
    tag[31] ^= 1;
    CHECK_RC(payseal_hmac_sha256_verify(key, BYTES(JEFE_MSG), tag, 32), PAYSEAL_BAD_SIGNATURE);
    tag[31] ^= 1;
    CHECK_RC(payseal_hmac_sha256_verify(key, BYTES("what do ya want for nothing!"), tag, 32),
             PAYSEAL_BAD_SIGNATURE);

    payseal_hmac_sha256_key_free(key);
    payseal_hmac_sha256_key_free(NULL);
}

static void test_json(void) {
    uint8_t out[256];
    size_t n, len;
    const char *in = "{ \"b\": 1, \"a\": [1.0, \"\\/x\", \"\\u00e9\"] }";
    const uint8_t *p = (const uint8_t *)in;
    const uint32_t UNESCAPED = PAYSEAL_JSON_UNESCAPED_SLASHES | PAYSEAL_JSON_UNESCAPED_UNICODE;
    struct {
        uint32_t dialect, flags;
        const char *want;
    } cases[] = {
        {PAYSEAL_JSON_JS, 0, "{\"b\":1,\"a\":[1,\"/x\",\"\xc3\xa9\"]}"},
        {PAYSEAL_JSON_PHP, 0, "{\"b\":1,\"a\":[1,\"\\/x\",\"\\u00e9\"]}"},
        {PAYSEAL_JSON_PHP, PAYSEAL_JSON_UNESCAPED_SLASHES, "{\"b\":1,\"a\":[1,\"/x\",\"\\u00e9\"]}"},
        {PAYSEAL_JSON_PHP, UNESCAPED, "{\"b\":1,\"a\":[1,\"/x\",\"\xc3\xa9\"]}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        memset(out, SENTINEL, sizeof out);
        CHECK_RC(payseal_json_canonicalize(cases[i].dialect, cases[i].flags, p, strlen(in), out, sizeof out, &n),
                 PAYSEAL_OK);
        CHECK(same(out, n, cases[i].want));
        CHECK_RC(payseal_json_canonical_len(cases[i].dialect, cases[i].flags, p, strlen(in), &len), PAYSEAL_OK);
        CHECK(len == strlen(cases[i].want));
        memset(out, SENTINEL, sizeof out);
        CHECK_RC(payseal_json_canonicalize(cases[i].dialect, cases[i].flags, p, strlen(in), out, len - 1, &n),
                 PAYSEAL_BUFFER_TOO_SMALL);
        CHECK(n == len && untouched(out, sizeof out));
        CHECK_RC(payseal_json_canonicalize(cases[i].dialect, cases[i].flags, p, strlen(in), NULL, 0, &n),
                 PAYSEAL_BUFFER_TOO_SMALL);
        CHECK(n == len);
    }

    /* Malformed input: the error, its offset in *out_written, and nothing written. */
    struct {
        const char *in;
        size_t len;
        PaysealResult want;
    } bad[] = {
        {"{\"a\":}", 6, PAYSEAL_JSON_SYNTAX},
        {"", 0, PAYSEAL_JSON_SYNTAX},
        {"[1,]", 4, PAYSEAL_JSON_SYNTAX},
        {"{\"a\":1,\"a\":2}", 13, PAYSEAL_JSON_DUPLICATE_KEY},
        {"[\"\xff\"]", 5, PAYSEAL_JSON_INVALID_UTF8},
        {"[1e999]", 7, PAYSEAL_JSON_NUMBER_RANGE},
        {"[1,\0]", 5, PAYSEAL_JSON_SYNTAX},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        memset(out, SENTINEL, sizeof out);
        n = 12345;
        CHECK_RC(payseal_json_canonicalize(PAYSEAL_JSON_JS, 0, (const uint8_t *)bad[i].in, bad[i].len, out,
                                           sizeof out, &n),
                 bad[i].want);
        CHECK(n <= bad[i].len && untouched(out, sizeof out));
        CHECK_RC(payseal_json_canonical_len(PAYSEAL_JSON_PHP, 0, (const uint8_t *)bad[i].in, bad[i].len, &len),
                 bad[i].want);
    }
    CHECK_RC(payseal_json_canonicalize(PAYSEAL_JSON_PHP, 0, BYTES("[\"\\ud800\"]"), out, sizeof out, &n),
             PAYSEAL_JSON_LONE_SURROGATE);

    /* Depth: 600 nested arrays. */
    static uint8_t deep[1200];
    memset(deep, '[', 600);
    memset(deep + 600, ']', 600);
    CHECK_RC(payseal_json_canonicalize(PAYSEAL_JSON_JS, 0, deep, sizeof deep, out, sizeof out, &n),
             PAYSEAL_JSON_DEPTH);

    /* Arguments. */
    CHECK_RC(payseal_json_canonicalize(7, 0, BYTES("1"), out, sizeof out, &n), PAYSEAL_INVALID_ARGUMENT);
    CHECK_RC(payseal_json_canonicalize(PAYSEAL_JSON_JS, PAYSEAL_JSON_UNESCAPED_SLASHES, BYTES("1"), out, sizeof out,
                                       &n),
             PAYSEAL_INVALID_ARGUMENT);
    CHECK_RC(payseal_json_canonicalize(PAYSEAL_JSON_PHP, 1, BYTES("1"), out, sizeof out, &n),
             PAYSEAL_INVALID_ARGUMENT);
    CHECK_RC(payseal_json_canonicalize(PAYSEAL_JSON_JS, 0, NULL, 1, out, sizeof out, &n), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_json_canonicalize(PAYSEAL_JSON_JS, 0, BYTES("1"), out, sizeof out, NULL), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_json_canonical_len(PAYSEAL_JSON_JS, 0, BYTES("1"), NULL), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_json_canonical_len(PAYSEAL_JSON_JS, 0, BYTES("  1 "), &len), PAYSEAL_OK);
    CHECK(len == 1);
}


/* ------------------------------------------------------------------------------------------ */
/* Webhooks */

static PaysealHeader header(const char *name, const char *value) {
    PaysealHeader h = {(const uint8_t *)name, strlen(name), (const uint8_t *)value, strlen(value)};
    return h;
}

static PaysealWebhookKeys *webhook_keys(uint32_t scheme, const char *secret) {
    PaysealBytes s = {(const uint8_t *)secret, strlen(secret)};
    PaysealWebhookKeys *keys = NULL;
    CHECK_RC(payseal_webhook_keys_new(scheme, &s, 1, &keys), PAYSEAL_OK);
    return keys;
}

/* "sha256=" + hex HMAC-SHA256(secret, msg), through the ABI's own HMAC. */
static void sign_hex(const char *secret, const uint8_t *msg, size_t len, char *hex_out /* 65 */) {
    PaysealHmacKey *key = NULL;
    uint8_t tag[32];
    size_t n, m;
    CHECK_RC(payseal_hmac_sha256_key_new((const uint8_t *)secret, strlen(secret), &key), PAYSEAL_OK);
    CHECK_RC(payseal_hmac_sha256(key, msg, len, tag, sizeof tag, &n), PAYSEAL_OK);
    CHECK_RC(payseal_hex_encode(tag, n, (uint8_t *)hex_out, 64, &m), PAYSEAL_OK);
    hex_out[m] = '\0';
    payseal_hmac_sha256_key_free(key);
}

static void test_webhook_keys(void) {
    PaysealWebhookKeys *keys = (PaysealWebhookKeys *)&keys; /* not NULL: keys_new must reset it */
    PaysealBytes two[2] = {{BYTES("new-secret")}, {BYTES("old-secret")}};
    PaysealBytes five[5] = {{BYTES("a")}, {BYTES("b")}, {BYTES("c")}, {BYTES("d")}, {BYTES("e")}};
    PaysealBytes empty[1] = {{NULL, 0}};
    PaysealBytes null_ptr[1] = {{NULL, 3}};
    PaysealBytes bad_hex[1] = {{BYTES("not hex")}};
    uint32_t scheme = 12345;

    CHECK_RC(payseal_webhook_keys_new(PAYSEAL_WEBHOOK_GITHUB, two, 2, NULL), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_webhook_keys_new(PAYSEAL_WEBHOOK_GITHUB, two, 0, &keys), PAYSEAL_NO_SECRET);
    CHECK(keys == NULL);
    CHECK_RC(payseal_webhook_keys_new(PAYSEAL_WEBHOOK_GITHUB, NULL, 2, &keys), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_webhook_keys_new(PAYSEAL_WEBHOOK_GITHUB, five, 5, &keys), PAYSEAL_TOO_MANY_SECRETS);
    CHECK_RC(payseal_webhook_keys_new(PAYSEAL_WEBHOOK_GITHUB, empty, 1, &keys), PAYSEAL_EMPTY_SECRET);
    CHECK_RC(payseal_webhook_keys_new(PAYSEAL_WEBHOOK_GITHUB, null_ptr, 1, &keys), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_webhook_keys_new(PAYSEAL_WEBHOOK_OPPWA, bad_hex, 1, &keys), PAYSEAL_MALFORMED_SECRET);
    CHECK_RC(payseal_webhook_keys_new(PAYSEAL_WEBHOOK_ADYEN_ITEM, bad_hex, 1, &keys), PAYSEAL_MALFORMED_SECRET);
    CHECK_RC(payseal_webhook_keys_new(99, two, 2, &keys), PAYSEAL_INVALID_ARGUMENT);
    CHECK(keys == NULL);
    CHECK_RC(payseal_webhook_keys_new(PAYSEAL_WEBHOOK_GITHUB, two, 2, &keys), PAYSEAL_OK);
    payseal_webhook_keys_free(keys);
    payseal_webhook_keys_free(NULL);

    CHECK_RC(payseal_webhook_scheme_from_name(BYTES("oppwa_base64"), &scheme), PAYSEAL_OK);
    CHECK(scheme == PAYSEAL_WEBHOOK_OPPWA_BASE64);
    CHECK_RC(payseal_webhook_scheme_from_name(BYTES("eupay"), &scheme), PAYSEAL_OK);
    CHECK(scheme == PAYSEAL_WEBHOOK_EUPAY);
    CHECK_RC(payseal_webhook_scheme_from_name(BYTES("EUPAY"), &scheme), PAYSEAL_INVALID_ARGUMENT);
    CHECK_RC(payseal_webhook_scheme_from_name(BYTES("\xff"), &scheme), PAYSEAL_INVALID_ARGUMENT);
    CHECK(scheme == PAYSEAL_WEBHOOK_EUPAY);
    CHECK_RC(payseal_webhook_scheme_from_name(BYTES("eupay"), NULL), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_webhook_scheme_from_name(NULL, 5, &scheme), PAYSEAL_NULL_POINTER);
}

/* Secrets packed for payseal_webhook_keys_new_packed / _shared: 4-byte LE length, bytes. */
static size_t pack_secrets(uint8_t *out, const char *const *secrets, size_t n) {
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t len = (uint32_t)strlen(secrets[i]);
        for (int b = 0; b < 4; b++) out[at++] = (uint8_t)(len >> (8 * b));
        memcpy(out + at, secrets[i], len);
        at += len;
    }
    return at;
}

static void test_webhook_keys_packed_and_shared(void) {
    /* GitHub's documented example delivery. */
    const char *sig = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    const char *good[] = {"It's a Secret to Everybody"};
    const char *rotated[] = {"new-secret", "It's a Secret to Everybody"};
    const char *other[] = {"another secret"};
    const char *five[] = {"a", "b", "c", "d", "e"};
    const char *empty[] = {"x", ""};
    uint8_t packed[256], p_rotated[256], p_other[256], p_five[64], p_empty[64];
    size_t n = pack_secrets(packed, good, 1), n_rot = pack_secrets(p_rotated, rotated, 2);
    size_t n_other = pack_secrets(p_other, other, 1), n_five = pack_secrets(p_five, five, 5);
    size_t n_empty = pack_secrets(p_empty, empty, 2);
    PaysealWebhookKeys *keys = (PaysealWebhookKeys *)&keys; /* not NULL: each call must reset it */

    /* _new_packed: the results of payseal_webhook_keys_new, nothing written on failure. */
    typedef PaysealResult (*make_fn)(uint32_t, const uint8_t *, size_t, PaysealWebhookKeys **);
    make_fn makers[2] = {payseal_webhook_keys_new_packed, payseal_webhook_keys_shared};
    for (int m = 0; m < 2; m++) {
        make_fn make = makers[m];
        keys = (PaysealWebhookKeys *)&keys;
        CHECK_RC(make(PAYSEAL_WEBHOOK_GITHUB, packed, n, NULL), PAYSEAL_NULL_POINTER);
        CHECK_RC(make(PAYSEAL_WEBHOOK_GITHUB, NULL, 0, &keys), PAYSEAL_NO_SECRET);
        CHECK(keys == NULL);
        keys = (PaysealWebhookKeys *)&keys;
        CHECK_RC(make(PAYSEAL_WEBHOOK_GITHUB, NULL, 4, &keys), PAYSEAL_NULL_POINTER);
        CHECK_RC(make(PAYSEAL_WEBHOOK_GITHUB, p_five, n_five, &keys), PAYSEAL_TOO_MANY_SECRETS);
        CHECK(keys == NULL);
        CHECK_RC(make(PAYSEAL_WEBHOOK_GITHUB, p_empty, n_empty, &keys), PAYSEAL_EMPTY_SECRET);
        CHECK_RC(make(PAYSEAL_WEBHOOK_GITHUB, packed, n - 1, &keys), PAYSEAL_INVALID_ARGUMENT); /* length overruns */
        CHECK_RC(make(PAYSEAL_WEBHOOK_GITHUB, packed, 3, &keys), PAYSEAL_INVALID_ARGUMENT);     /* cut length */
        CHECK_RC(make(PAYSEAL_WEBHOOK_OPPWA, packed, n, &keys), PAYSEAL_MALFORMED_SECRET);
        CHECK_RC(make(99, packed, n, &keys), PAYSEAL_INVALID_ARGUMENT);
        CHECK(keys == NULL);
        CHECK_RC(make(PAYSEAL_WEBHOOK_GITHUB, p_rotated, n_rot, &keys), PAYSEAL_OK);
        CHECK_RC(payseal_webhook_verify_values(keys, (const uint8_t *)sig, strlen(sig), NULL, 0, BYTES("Hello, World!"), 0, 0),
                 PAYSEAL_OK);
        CHECK_RC(payseal_webhook_verify_values(keys, (const uint8_t *)sig, strlen(sig), NULL, 0, BYTES("Hello, World?"), 0, 0),
                 PAYSEAL_BAD_SIGNATURE);
        payseal_webhook_keys_free(keys);
    }

    /* _shared: the same scheme and secrets give the registry's key set again (also after
       every handle was freed); other secrets (a rotation) a key set of their own, never the
       old one; the scheme is part of the key. */
    PaysealWebhookKeys *a = NULL, *b = NULL, *c = NULL, *d = NULL;
    CHECK_RC(payseal_webhook_keys_shared(PAYSEAL_WEBHOOK_GITHUB, packed, n, &a), PAYSEAL_OK);
    CHECK_RC(payseal_webhook_keys_shared(PAYSEAL_WEBHOOK_GITHUB, packed, n, &b), PAYSEAL_OK);
    CHECK(a != NULL && b != NULL && a != b); /* two handles, one key set */
    payseal_webhook_keys_free(a);
    CHECK_RC(payseal_webhook_verify_values(b, (const uint8_t *)sig, strlen(sig), NULL, 0, BYTES("Hello, World!"), 0, 0),
             PAYSEAL_OK);
    payseal_webhook_keys_free(b);
    CHECK_RC(payseal_webhook_keys_shared(PAYSEAL_WEBHOOK_GITHUB, p_other, n_other, &c), PAYSEAL_OK);
    CHECK_RC(payseal_webhook_verify_values(c, (const uint8_t *)sig, strlen(sig), NULL, 0, BYTES("Hello, World!"), 0, 0),
             PAYSEAL_BAD_SIGNATURE);
    CHECK_RC(payseal_webhook_keys_shared(PAYSEAL_WEBHOOK_EUPAY, packed, n, &d), PAYSEAL_OK);
    CHECK_RC(payseal_webhook_verify_values(d, (const uint8_t *)sig, strlen(sig), NULL, 0, BYTES("Hello, World!"), 0, 0),
             PAYSEAL_OK); /* EU Pay signs the same way, under its own entry */
    /* More key sets than the registry keeps: the oldest are dropped from it, but a handle
       still holding one keeps it alive (ASan checks the use after the registry let go). */
    for (int i = 0; i < 40; i++) {
        char secret[32];
        const char *one[] = {secret};
        uint8_t buf[64];
        PaysealWebhookKeys *k = NULL;
        snprintf(secret, sizeof secret, "secret-%d", i);
        CHECK_RC(payseal_webhook_keys_shared(PAYSEAL_WEBHOOK_GITHUB, buf, pack_secrets(buf, one, 1), &k), PAYSEAL_OK);
        payseal_webhook_keys_free(k);
    }
    CHECK_RC(payseal_webhook_verify_values(c, (const uint8_t *)sig, strlen(sig), NULL, 0, BYTES("Hello, World!"), 0, 0),
             PAYSEAL_BAD_SIGNATURE);
    CHECK_RC(payseal_webhook_verify_values(d, (const uint8_t *)sig, strlen(sig), NULL, 0, BYTES("Hello, World!"), 0, 0),
             PAYSEAL_OK);
    payseal_webhook_keys_free(c);
    payseal_webhook_keys_free(d);
    CHECK_RC(payseal_webhook_keys_shared(PAYSEAL_WEBHOOK_GITHUB, packed, n, &a), PAYSEAL_OK); /* rebuilt */
    CHECK_RC(payseal_webhook_verify_values(a, (const uint8_t *)sig, strlen(sig), NULL, 0, BYTES("Hello, World!"), 0, 0),
             PAYSEAL_OK);
    payseal_webhook_keys_free(a);

    /* _verify_shared: the registry's key set and the verification in one call, no handle; bad
       secrets give _keys_new_packed's results, then the delivery _verify_values' results. */
    const uint8_t *s = (const uint8_t *)sig;
    size_t sl = strlen(sig);
    CHECK_RC(payseal_webhook_verify_shared(PAYSEAL_WEBHOOK_GITHUB, p_rotated, n_rot, s, sl, NULL, 0, BYTES("Hello, World!"), 0, 0),
             PAYSEAL_OK);
    CHECK_RC(payseal_webhook_verify_shared(PAYSEAL_WEBHOOK_GITHUB, p_rotated, n_rot, s, sl, NULL, 0, BYTES("Hello, World?"), 0, 0),
             PAYSEAL_BAD_SIGNATURE);
    CHECK_RC(payseal_webhook_verify_shared(PAYSEAL_WEBHOOK_GITHUB, p_other, n_other, s, sl, NULL, 0, BYTES("Hello, World!"), 0, 0),
             PAYSEAL_BAD_SIGNATURE); /* other secrets: never the old key set */
    CHECK_RC(payseal_webhook_verify_shared(PAYSEAL_WEBHOOK_GITHUB, packed, n, NULL, 0, NULL, 0, BYTES("Hello, World!"), 0, 0),
             PAYSEAL_MISSING_HEADER);
    CHECK_RC(payseal_webhook_verify_shared(PAYSEAL_WEBHOOK_GITHUB, p_five, n_five, s, sl, NULL, 0, BYTES("Hello, World!"), 0, 0),
             PAYSEAL_TOO_MANY_SECRETS);
    CHECK_RC(payseal_webhook_verify_shared(PAYSEAL_WEBHOOK_GITHUB, packed, n - 1, s, sl, NULL, 0, BYTES("Hello, World!"), 0, 0),
             PAYSEAL_INVALID_ARGUMENT);
    CHECK_RC(payseal_webhook_verify_shared(99, packed, n, s, sl, NULL, 0, BYTES("Hello, World!"), 0, 0), PAYSEAL_INVALID_ARGUMENT);
    CHECK_RC(payseal_webhook_verify_shared(PAYSEAL_WEBHOOK_GITHUB, packed, n, NULL, 4, NULL, 0, BYTES("Hello, World!"), 0, 0),
             PAYSEAL_NULL_POINTER);

    /* _verify_once: the same results with a key set made for the call and wiped after it. */
    CHECK_RC(payseal_webhook_verify_once(PAYSEAL_WEBHOOK_GITHUB, p_rotated, n_rot, s, sl, NULL, 0, BYTES("Hello, World!"), 0, 0),
             PAYSEAL_OK);
    CHECK_RC(payseal_webhook_verify_once(PAYSEAL_WEBHOOK_GITHUB, p_rotated, n_rot, s, sl, NULL, 0, BYTES("Hello, World?"), 0, 0),
             PAYSEAL_BAD_SIGNATURE);
    CHECK(payseal_last_error_details() == 0); /* a bad signature says nothing more */
    CHECK(payseal_last_error_header() == NULL);
    CHECK_RC(payseal_webhook_verify_once(PAYSEAL_WEBHOOK_GITHUB, p_other, n_other, s, sl, NULL, 0, BYTES("Hello, World!"), 0, 0),
             PAYSEAL_BAD_SIGNATURE);
    CHECK_RC(payseal_webhook_verify_once(PAYSEAL_WEBHOOK_GITHUB, packed, n, NULL, 0, NULL, 0, BYTES("Hello, World!"), 0, 0),
             PAYSEAL_MISSING_HEADER);
    CHECK(payseal_last_error_details() == PAYSEAL_DETAIL_HEADER); /* which header */
    CHECK(strcmp(payseal_last_error_header(), "X-Hub-Signature-256") == 0);
    PaysealErrorDetail missing = payseal_last_error_value();
    CHECK(missing.code == PAYSEAL_MISSING_HEADER && missing.header_len == strlen("X-Hub-Signature-256"));
    CHECK_RC(payseal_webhook_verify_once(PAYSEAL_WEBHOOK_GITHUB, p_five, n_five, s, sl, NULL, 0, BYTES("Hello, World!"), 0, 0),
             PAYSEAL_TOO_MANY_SECRETS);
    CHECK_RC(payseal_webhook_verify_once(PAYSEAL_WEBHOOK_GITHUB, packed, n - 1, s, sl, NULL, 0, BYTES("Hello, World!"), 0, 0),
             PAYSEAL_INVALID_ARGUMENT);
    CHECK_RC(payseal_webhook_verify_once(99, packed, n, s, sl, NULL, 0, BYTES("Hello, World!"), 0, 0), PAYSEAL_INVALID_ARGUMENT);
    CHECK_RC(payseal_webhook_verify_once(PAYSEAL_WEBHOOK_GITHUB, NULL, 0, s, sl, NULL, 0, BYTES("Hello, World!"), 0, 0),
             PAYSEAL_NO_SECRET);
    CHECK_RC(payseal_webhook_verify_once(PAYSEAL_WEBHOOK_GITHUB, packed, n, NULL, 4, NULL, 0, BYTES("Hello, World!"), 0, 0),
             PAYSEAL_NULL_POINTER);
}

static void test_webhook_verify(void) {
    /* GitHub's documented example delivery, with a rotation: the old secret signed it. */
    PaysealBytes two[2] = {{BYTES("new-secret")}, {BYTES("It's a Secret to Everybody")}};
    PaysealWebhookKeys *gh = NULL;
    CHECK_RC(payseal_webhook_keys_new(PAYSEAL_WEBHOOK_GITHUB, two, 2, &gh), PAYSEAL_OK);
    PaysealHeader h[3] = {
        header("Content-Type", "application/json"),
        header("x-hub-signature-256", " sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17 "),
        header("User-Agent", "GitHub-Hookshot/1"),
    };
    CHECK_RC(payseal_webhook_verify(gh, h, 3, BYTES("Hello, World!"), 0, 0), PAYSEAL_OK);
    CHECK_RC(payseal_webhook_verify(gh, h, 3, BYTES("Hello, World?"), 0, 0), PAYSEAL_BAD_SIGNATURE);
    CHECK_RC(payseal_webhook_verify(gh, h, 1, BYTES("Hello, World!"), 0, 0), PAYSEAL_MISSING_HEADER);
    CHECK_RC(payseal_webhook_verify(gh, NULL, 0, BYTES("Hello, World!"), 0, 0), PAYSEAL_MISSING_HEADER);
    CHECK_RC(payseal_webhook_verify(gh, NULL, 3, BYTES("Hello, World!"), 0, 0), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_webhook_verify(NULL, h, 3, BYTES("Hello, World!"), 0, 0), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_webhook_verify(gh, h, 3, NULL, 13, 0, 0), PAYSEAL_NULL_POINTER);
    PaysealHeader nulls[2] = {{NULL, 4, (const uint8_t *)"x", 1}, header("a", "b")};
    CHECK_RC(payseal_webhook_verify(gh, nulls, 2, BYTES("x"), 0, 0), PAYSEAL_NULL_POINTER);
    PaysealHeader twice[2] = {h[1], h[1]};
    CHECK_RC(payseal_webhook_verify(gh, twice, 2, BYTES("Hello, World!"), 0, 0), PAYSEAL_MALFORMED_HEADER);
    PaysealHeader md5[1] = {header("X-Hub-Signature-256", "md5=00")};
    CHECK_RC(payseal_webhook_verify(gh, md5, 1, BYTES("Hello, World!"), 0, 0), PAYSEAL_MALFORMED_HEADER);
    payseal_webhook_keys_free(gh);

    /* EU Pay: signed here with the ABI's HMAC. */
    const char *body = "{\"event\":\"payment.completed\",\"amount\":12.5}";
    char hex[65], value[80];
    sign_hex("whsec_eupay", (const uint8_t *)body, strlen(body), hex);
    snprintf(value, sizeof value, "sha256=%s", hex);
    PaysealWebhookKeys *eu = webhook_keys(PAYSEAL_WEBHOOK_EUPAY, "whsec_eupay");
    PaysealHeader eh[1] = {header("X-EuPay-Signature", value)};
    CHECK_RC(payseal_webhook_verify(eu, eh, 1, (const uint8_t *)body, strlen(body), 0, 0), PAYSEAL_OK);
    CHECK_RC(payseal_webhook_verify(eu, eh, 1, (const uint8_t *)body, strlen(body) - 1, 0, 0),
             PAYSEAL_BAD_SIGNATURE);
    value[strlen(value) - 1] = 'g'; /* not hex */
    eh[0] = header("X-EuPay-Signature", value);
    CHECK_RC(payseal_webhook_verify(eu, eh, 1, (const uint8_t *)body, strlen(body), 0, 0),
             PAYSEAL_MALFORMED_HEADER);
    payseal_webhook_keys_free(eu);

    /* Stripe: t=<ts>,v1=<hex> over "<ts>.<body>", within the tolerance either way. */
    char signed_payload[128], stripe[160];
    snprintf(signed_payload, sizeof signed_payload, "1700000000.%s", body);
    sign_hex("whsec_stripe", (const uint8_t *)signed_payload, strlen(signed_payload), hex);
    snprintf(stripe, sizeof stripe, "t=1700000000,v1=%s", hex);
    PaysealWebhookKeys *st = webhook_keys(PAYSEAL_WEBHOOK_STRIPE, "whsec_stripe");
    PaysealHeader sh[1] = {header("Stripe-Signature", stripe)};
    const uint8_t *b = (const uint8_t *)body;
    CHECK_RC(payseal_webhook_verify(st, sh, 1, b, strlen(body), 1700000100, 300), PAYSEAL_OK);
    CHECK_RC(payseal_webhook_verify(st, sh, 1, b, strlen(body), 1700000301, 300), PAYSEAL_TIMESTAMP_TOO_OLD);
    CHECK_RC(payseal_webhook_verify(st, sh, 1, b, strlen(body), 1699999699, 300), PAYSEAL_TIMESTAMP_TOO_NEW);
    CHECK_RC(payseal_webhook_verify(st, sh, 1, b, strlen(body), 1700000301, 301), PAYSEAL_OK);
    char many[1024] = "t=1700000000";
    for (int i = 0; i < 9; i++) strcat(many, ",v1=00");
    sh[0] = header("Stripe-Signature", many);
    CHECK_RC(payseal_webhook_verify(st, sh, 1, b, strlen(body), 1700000000, 300), PAYSEAL_TOO_MANY_SIGNATURES);
    static char huge[9000];
    memset(huge, 'a', sizeof huge - 1);
    sh[0] = header("Stripe-Signature", huge);
    CHECK_RC(payseal_webhook_verify(st, sh, 1, b, strlen(body), 1700000000, 300), PAYSEAL_TOO_LARGE);
    payseal_webhook_keys_free(st);

    /* Adyen: the body must be JSON. */
    PaysealWebhookKeys *ad = webhook_keys(PAYSEAL_WEBHOOK_ADYEN_ITEM, "00112233");
    CHECK_RC(payseal_webhook_verify(ad, NULL, 0, BYTES("not json"), 0, 0), PAYSEAL_MALFORMED_BODY);
    payseal_webhook_keys_free(ad);
}

/* OPPWA: NIST GCM test case 14 (AES-256, zero key and IV, 16 zero bytes of plaintext). */
#define ZERO_KEY_HEX "0000000000000000000000000000000000000000000000000000000000000000"
static const char GCM14_CT[] = "cea7403d4d606b6e074ec5d3baf39d18";

static void test_webhook_open(void) {
    PaysealWebhookKeys *keys = webhook_keys(PAYSEAL_WEBHOOK_OPPWA, ZERO_KEY_HEX);
    PaysealHeader h[2] = {
        header("X-Initialization-Vector", "000000000000000000000000"),
        header("X-Authentication-Tag", "d0d1c8a799996bf0265b98b5d48ab919"),
    };
    const uint8_t *ct = (const uint8_t *)GCM14_CT;
    size_t ct_len = strlen(GCM14_CT), n = 12345, len = 0;
    uint8_t out[32], zeros[16] = {0};

    CHECK_RC(payseal_webhook_open_len(keys, ct, ct_len, &len), PAYSEAL_OK);
    CHECK(len == 16);
    CHECK_RC(payseal_webhook_open_len(keys, ct, ct_len, NULL), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_webhook_open_len(NULL, ct, ct_len, &len), PAYSEAL_NULL_POINTER);

    memset(out, SENTINEL, sizeof out);
    CHECK_RC(payseal_webhook_open(keys, h, 2, ct, ct_len, 0, 0, out, sizeof out, &n), PAYSEAL_OK);
    CHECK(n == 16 && memcmp(out, zeros, 16) == 0 && untouched(out + 16, 16));
    CHECK_RC(payseal_webhook_verify(keys, h, 2, ct, ct_len, 0, 0), PAYSEAL_OK);

    /* Size query and a buffer one byte short: the exact size, nothing written. */
    CHECK_RC(payseal_webhook_open(keys, h, 2, ct, ct_len, 0, 0, NULL, 0, &n), PAYSEAL_BUFFER_TOO_SMALL);
    CHECK(n == 16);
    memset(out, SENTINEL, sizeof out);
    CHECK_RC(payseal_webhook_open(keys, h, 2, ct, ct_len, 0, 0, out, 15, &n), PAYSEAL_BUFFER_TOO_SMALL);
    CHECK(n == 16 && untouched(out, sizeof out));

    /* A bad tag: rejected, and no plaintext (nor ciphertext) reaches the buffer. */
    PaysealHeader bad[2] = {h[0], header("X-Authentication-Tag", "d0d1c8a799996bf0265b98b5d48ab918")};
    memset(out, SENTINEL, sizeof out);
    CHECK_RC(payseal_webhook_open(keys, bad, 2, ct, ct_len, 0, 0, out, sizeof out, &n), PAYSEAL_BAD_SIGNATURE);
    CHECK(n == 0 && untouched(out, sizeof out));
    CHECK_RC(payseal_webhook_verify(keys, bad, 2, ct, ct_len, 0, 0), PAYSEAL_BAD_SIGNATURE);
    CHECK_RC(payseal_webhook_open(keys, h, 1, ct, ct_len, 0, 0, out, sizeof out, &n), PAYSEAL_MISSING_HEADER);
    CHECK_RC(payseal_webhook_open(keys, h, 2, BYTES("zz"), 0, 0, out, sizeof out, &n), PAYSEAL_MALFORMED_BODY);
    CHECK(untouched(out, sizeof out));
    CHECK_RC(payseal_webhook_open(keys, h, 2, ct, ct_len, 0, 0, out, sizeof out, NULL), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_webhook_open(keys, h, 2, ct, ct_len, 0, 0, NULL, 16, &n), PAYSEAL_NULL_POINTER);

    /* The output may not overlap the body or a header. */
    uint8_t both[64];
    memcpy(both, GCM14_CT, ct_len);
    CHECK_RC(payseal_webhook_open(keys, h, 2, both, ct_len, 0, 0, both + 8, 32, &n), PAYSEAL_INVALID_ARGUMENT);
    CHECK_RC(payseal_webhook_open(keys, h, 2, both, ct_len, 0, 0, both + 32, 32, &n), PAYSEAL_OK);
    char tag_copy[40] = "d0d1c8a799996bf0265b98b5d48ab919";
    PaysealHeader in_out[2] = {h[0], header("X-Authentication-Tag", tag_copy)};
    CHECK_RC(payseal_webhook_open(keys, in_out, 2, ct, ct_len, 0, 0, (uint8_t *)tag_copy, sizeof tag_copy, &n),
             PAYSEAL_INVALID_ARGUMENT);

    /* MAC schemes have no payload of their own: 0 bytes. */
    PaysealWebhookKeys *gh = webhook_keys(PAYSEAL_WEBHOOK_GITHUB, "It's a Secret to Everybody");
    PaysealHeader g[1] = {
        header("X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")};
    n = 12345;
    CHECK_RC(payseal_webhook_open(gh, g, 1, BYTES("Hello, World!"), 0, 0, NULL, 0, &n), PAYSEAL_OK);
    CHECK(n == 0);
    CHECK_RC(payseal_webhook_open_len(gh, BYTES("Hello, World!"), &len), PAYSEAL_OK);
    CHECK(len == 0);
    payseal_webhook_keys_free(gh);
    payseal_webhook_keys_free(keys);
}

/* Appends one header to a packed block (u32 LE lengths); returns the new length. */
static size_t pack_header(uint8_t *block, size_t at, const char *name, const char *value) {
    const char *parts[2] = {name, value};
    for (int i = 0; i < 2; i++) {
        uint32_t len = (uint32_t)strlen(parts[i]);
        for (int b = 0; b < 4; b++) block[at++] = (uint8_t)(len >> (8 * b));
        memcpy(block + at, parts[i], len);
        at += len;
    }
    return at;
}

static void test_webhook_packed(void) {
    static uint8_t block[512];
    size_t len = 0, n = 12345;
    len = pack_header(block, len, "Content-Type", "application/json");
    len = pack_header(block, len, "", "");
    len = pack_header(block, len, "X-HUB-SIGNATURE-256",
                      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    PaysealWebhookKeys *gh = webhook_keys(PAYSEAL_WEBHOOK_GITHUB, "It's a Secret to Everybody");
    CHECK_RC(payseal_webhook_verify_packed(gh, block, len, BYTES("Hello, World!"), 0, 0), PAYSEAL_OK);
    CHECK_RC(payseal_webhook_verify_packed(gh, block, len, BYTES("Hello, World?"), 0, 0), PAYSEAL_BAD_SIGNATURE);
    CHECK_RC(payseal_webhook_verify_packed(gh, block, 0, BYTES("Hello, World!"), 0, 0), PAYSEAL_MISSING_HEADER);
    CHECK_RC(payseal_webhook_verify_packed(gh, NULL, 0, BYTES("Hello, World!"), 0, 0), PAYSEAL_MISSING_HEADER);
    /* Every cut inside a header is refused as a bad argument, never read past. */
    for (size_t cut = 1; cut < len; cut++) {
        PaysealResult rc = payseal_webhook_verify_packed(gh, block, cut, BYTES("Hello, World!"), 0, 0);
        CHECK(rc == PAYSEAL_INVALID_ARGUMENT || rc == PAYSEAL_MISSING_HEADER);
    }
    uint8_t huge_len[8] = {0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0};
    CHECK_RC(payseal_webhook_verify_packed(gh, huge_len, sizeof huge_len, BYTES("x"), 0, 0), PAYSEAL_INVALID_ARGUMENT);
    CHECK_RC(payseal_webhook_verify_packed(gh, NULL, 8, BYTES("x"), 0, 0), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_webhook_verify_packed(NULL, block, len, BYTES("x"), 0, 0), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_webhook_open_packed(gh, block, len, BYTES("Hello, World!"), 0, 0, NULL, 0, &n), PAYSEAL_OK);
    CHECK(n == 0);
    payseal_webhook_keys_free(gh);

    /* OPPWA through packed headers: plaintext only once the tag verified. */
    PaysealWebhookKeys *keys = webhook_keys(PAYSEAL_WEBHOOK_OPPWA, ZERO_KEY_HEX);
    len = pack_header(block, 0, "x-initialization-vector", "000000000000000000000000");
    size_t good = pack_header(block, len, "X-Authentication-Tag", "d0d1c8a799996bf0265b98b5d48ab919");
    uint8_t out[32], zeros[16] = {0};
    memset(out, SENTINEL, sizeof out);
    CHECK_RC(payseal_webhook_open_packed(keys, block, good, BYTES(GCM14_CT), 0, 0, out, sizeof out, &n), PAYSEAL_OK);
    CHECK(n == 16 && memcmp(out, zeros, 16) == 0);
    memset(out, SENTINEL, sizeof out);
    CHECK_RC(payseal_webhook_open_packed(keys, block, good, BYTES(GCM14_CT), 0, 0, out, 15, &n),
             PAYSEAL_BUFFER_TOO_SMALL);
    CHECK(n == 16 && untouched(out, sizeof out));
    size_t bad = pack_header(block, len, "X-Authentication-Tag", "00d1c8a799996bf0265b98b5d48ab919");
    CHECK_RC(payseal_webhook_open_packed(keys, block, bad, BYTES(GCM14_CT), 0, 0, out, sizeof out, &n),
             PAYSEAL_BAD_SIGNATURE);
    CHECK(n == 0 && untouched(out, sizeof out));
    CHECK_RC(payseal_webhook_verify_packed(keys, block, bad, BYTES(GCM14_CT), 0, 0), PAYSEAL_BAD_SIGNATURE);
    CHECK_RC(payseal_webhook_open_packed(keys, block, bad, BYTES(GCM14_CT), 0, 0, block, sizeof block, &n),
             PAYSEAL_INVALID_ARGUMENT);
    CHECK_RC(payseal_webhook_open_packed(keys, block, bad, BYTES(GCM14_CT), 0, 0, out, sizeof out, NULL),
             PAYSEAL_NULL_POINTER);
    payseal_webhook_keys_free(keys);
}

static void test_webhook_batch(void) {
    PaysealWebhookKeys *gh = webhook_keys(PAYSEAL_WEBHOOK_GITHUB, "It's a Secret to Everybody");
    PaysealHeader good[1] = {
        header("X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")};
    enum { N = 100 };
    PaysealWebhookItem items[N];
    uint32_t results[N + 1];
    for (int i = 0; i < N; i++) {
        PaysealWebhookItem it = {gh, good, 1, (const uint8_t *)"Hello, World!", 13};
        if (i % 3 == 1) it.body = (const uint8_t *)"Hello, World?";
        if (i % 3 == 2) it.header_count = 0;
        items[i] = it;
    }
    items[7].keys = NULL;
    items[8].body = NULL;
    for (uint32_t threads = 0; threads < 4; threads++) {
        memset(results, SENTINEL, sizeof results);
        CHECK_RC(payseal_webhook_verify_batch(items, N, 0, 300, threads, results), PAYSEAL_OK);
        int ok = 1;
        for (int i = 0; i < N; i++) {
            uint32_t want = i % 3 == 0 ? PAYSEAL_OK : i % 3 == 1 ? PAYSEAL_BAD_SIGNATURE : PAYSEAL_MISSING_HEADER;
            if (i == 7 || i == 8) want = PAYSEAL_NULL_POINTER;
            ok &= results[i] == want;
        }
        CHECK(ok && untouched((const uint8_t *)&results[N], sizeof results[N]));
    }
    memset(results, SENTINEL, sizeof results);
    CHECK_RC(payseal_webhook_verify_batch(NULL, N, 0, 300, 0, results), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_webhook_verify_batch(items, N, 0, 300, 0, NULL), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_webhook_verify_batch(items, N, 0, 300, 0, (uint32_t *)(void *)items), PAYSEAL_INVALID_ARGUMENT);
    CHECK(untouched((const uint8_t *)results, sizeof results));
    CHECK_RC(payseal_webhook_verify_batch(NULL, 0, 0, 300, 0, NULL), PAYSEAL_OK);
    payseal_webhook_keys_free(gh);
}

/* ------------------------------------------------------------------------------------------ */
/* bcrypt and SecretVerifier */

/* pyca/bcrypt's "U*U" at cost 5: the salt "CCCCCCCCCCCCCCCCCCCCC." decodes to these 16 bytes. */
static const uint8_t UU_SALT[16] = {0x10, 0x41, 0x04, 0x10, 0x41, 0x04, 0x10, 0x41,
                                    0x04, 0x10, 0x41, 0x04, 0x10, 0x41, 0x04, 0x10};
static const char UU_HASH[] = "$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";

static void test_bcrypt(void) {
    uint8_t out[PAYSEAL_BCRYPT_HASH_LEN + 4];
    size_t n = 12345;

    memset(out, SENTINEL, sizeof out);
    CHECK_RC(payseal_bcrypt_hash(BYTES("U*U"), 5, UU_SALT, 16, out, sizeof out, &n), PAYSEAL_OK);
    CHECK(same(out, n, UU_HASH) && untouched(out + 60, 4));
    CHECK_RC(payseal_bcrypt_verify(BYTES("U*U"), out, n), PAYSEAL_OK);
    CHECK_RC(payseal_bcrypt_verify(BYTES("U*U*"), out, n), PAYSEAL_MISMATCH);
    CHECK_RC(payseal_bcrypt_verify(BYTES("U*U\0"), out, n), PAYSEAL_MISMATCH); /* NUL is data */
    out[2] = 'x';
    CHECK_RC(payseal_bcrypt_verify(BYTES("U*U"), out, n), PAYSEAL_MALFORMED_HASH);
    CHECK_RC(payseal_bcrypt_verify(BYTES("U*U"), out, n - 1), PAYSEAL_MALFORMED_HASH);
    CHECK_RC(payseal_bcrypt_verify(BYTES("U*U"), NULL, 0), PAYSEAL_MALFORMED_HASH);
    CHECK_RC(payseal_bcrypt_verify(NULL, 3, out, n), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_bcrypt_verify(BYTES("U*U"), NULL, 60), PAYSEAL_NULL_POINTER);

    /* OS salt: two hashes differ and both verify. */
    uint8_t a[60], b2[60];
    CHECK_RC(payseal_bcrypt_hash(BYTES("sk_live_x"), 4, NULL, 0, a, sizeof a, &n), PAYSEAL_OK);
    CHECK(n == 60 && memcmp(a, "$2b$04$", 7) == 0);
    CHECK_RC(payseal_bcrypt_hash(BYTES("sk_live_x"), 4, NULL, 0, b2, sizeof b2, &n), PAYSEAL_OK);
    CHECK(memcmp(a, b2, 60) != 0);
    CHECK_RC(payseal_bcrypt_verify(BYTES("sk_live_x"), a, 60), PAYSEAL_OK);
    CHECK_RC(payseal_bcrypt_verify(BYTES("sk_live_x"), b2, 60), PAYSEAL_OK);

    /* Fixed-size output: size query and short buffer answered before hashing. */
    CHECK_RC(payseal_bcrypt_hash(BYTES("x"), 4, NULL, 0, NULL, 0, &n), PAYSEAL_BUFFER_TOO_SMALL);
    CHECK(n == 60);
    memset(out, SENTINEL, sizeof out);
    CHECK_RC(payseal_bcrypt_hash(BYTES("x"), 4, NULL, 0, out, 59, &n), PAYSEAL_BUFFER_TOO_SMALL);
    CHECK(n == 60 && untouched(out, sizeof out));

    /* Refused inputs, nothing written. */
    static uint8_t long_secret[73];
    memset(long_secret, 'k', sizeof long_secret);
    memset(out, SENTINEL, sizeof out);
    CHECK_RC(payseal_bcrypt_hash(long_secret, 73, 4, NULL, 0, out, sizeof out, &n), PAYSEAL_SECRET_TOO_LONG);
    CHECK_RC(payseal_bcrypt_hash(long_secret, 72, 3, NULL, 0, out, sizeof out, &n), PAYSEAL_COST_OUT_OF_RANGE);
    CHECK_RC(payseal_bcrypt_hash(long_secret, 72, 32, NULL, 0, out, sizeof out, &n), PAYSEAL_COST_OUT_OF_RANGE);
    CHECK_RC(payseal_bcrypt_hash(BYTES("a\0b"), 4, NULL, 0, out, sizeof out, &n), PAYSEAL_SECRET_CONTAINS_NUL);
    CHECK_RC(payseal_bcrypt_hash(BYTES("a"), 4, UU_SALT, 15, out, sizeof out, &n), PAYSEAL_INVALID_ARGUMENT);
    CHECK(n == 0 && untouched(out, sizeof out));
    CHECK_RC(payseal_bcrypt_hash(BYTES("a"), 4, NULL, 16, out, sizeof out, &n), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_bcrypt_hash(BYTES("a"), 4, NULL, 0, out, sizeof out, NULL), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_bcrypt_hash(out, 3, 4, NULL, 0, out + 1, 60, &n), PAYSEAL_INVALID_ARGUMENT);
}

static void test_secret_verifier(void) {
    PaysealSecretVerifier *v = (PaysealSecretVerifier *)&v;
    uint64_t hits = 99, misses = 99;
    uint8_t hash[60];
    size_t n;
    CHECK_RC(payseal_bcrypt_hash(BYTES("sk_live_cached"), 4, NULL, 0, hash, sizeof hash, &n), PAYSEAL_OK);

    CHECK_RC(payseal_secret_verifier_new(16, 300, NULL), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_secret_verifier_new(16, 300, &v), PAYSEAL_OK);
    CHECK_RC(payseal_secret_verifier_verify(v, BYTES("sk_live_cached"), hash, n), PAYSEAL_OK);
    CHECK_RC(payseal_secret_verifier_verify(v, BYTES("sk_live_cached"), hash, n), PAYSEAL_OK);
    CHECK_RC(payseal_secret_verifier_verify(v, BYTES("sk_live_wrong"), hash, n), PAYSEAL_MISMATCH);
    CHECK_RC(payseal_secret_verifier_verify(v, BYTES("sk_live_cached"), hash, n - 1), PAYSEAL_MALFORMED_HASH);
    CHECK_RC(payseal_secret_verifier_stats(v, &hits, &misses), PAYSEAL_OK);
    CHECK(hits == 1 && misses == 3);
    CHECK_RC(payseal_secret_verifier_clear(v), PAYSEAL_OK);
    CHECK_RC(payseal_secret_verifier_verify(v, BYTES("sk_live_cached"), hash, n), PAYSEAL_OK);
    CHECK_RC(payseal_secret_verifier_stats(v, &hits, &misses), PAYSEAL_OK);
    CHECK(hits == 1 && misses == 4);
    CHECK_RC(payseal_secret_verifier_stats(v, NULL, &misses), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_secret_verifier_stats(NULL, &hits, &misses), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_secret_verifier_verify(NULL, BYTES("x"), hash, n), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_secret_verifier_verify(v, NULL, 1, hash, n), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_secret_verifier_clear(NULL), PAYSEAL_NULL_POINTER);
    size_t cached = 99;
    CHECK_RC(payseal_secret_verifier_len(v, &cached), PAYSEAL_OK);
    CHECK(cached == 1);
    CHECK_RC(payseal_secret_verifier_clear(v), PAYSEAL_OK);
    CHECK_RC(payseal_secret_verifier_len(v, &cached), PAYSEAL_OK);
    CHECK(cached == 0);
    CHECK_RC(payseal_secret_verifier_len(NULL, &cached), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_secret_verifier_len(v, NULL), PAYSEAL_NULL_POINTER);
    payseal_secret_verifier_free(v);
    payseal_secret_verifier_free(NULL);

    /* Capacity 0: no caching at all. */
    CHECK_RC(payseal_secret_verifier_new(0, 300, &v), PAYSEAL_OK);
    CHECK_RC(payseal_secret_verifier_verify(v, BYTES("sk_live_cached"), hash, n), PAYSEAL_OK);
    CHECK_RC(payseal_secret_verifier_stats(v, &hits, &misses), PAYSEAL_OK);
    CHECK(hits == 0 && misses == 0);
    payseal_secret_verifier_free(v);

    /* Shared: the cache outlives the handle; the same name gives the same cache. */
    CHECK_RC(payseal_secret_verifier_shared(BYTES("test_ffi"), 16, 300, NULL), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_secret_verifier_shared((const uint8_t *)"\xff", 1, 16, 300, &v), PAYSEAL_INVALID_ARGUMENT);
    CHECK(v == NULL);
    CHECK_RC(payseal_secret_verifier_shared(BYTES("test_ffi"), 16, 300, &v), PAYSEAL_OK);
    CHECK_RC(payseal_secret_verifier_verify(v, BYTES("sk_live_cached"), hash, n), PAYSEAL_OK);
    payseal_secret_verifier_free(v);
    CHECK_RC(payseal_secret_verifier_shared(BYTES("test_ffi"), 0, 0, &v), PAYSEAL_OK);
    CHECK_RC(payseal_secret_verifier_verify(v, BYTES("sk_live_cached"), hash, n), PAYSEAL_OK);
    CHECK_RC(payseal_secret_verifier_verify(v, BYTES("sk_live_wrong"), hash, n), PAYSEAL_MISMATCH);
    CHECK_RC(payseal_secret_verifier_stats(v, &hits, &misses), PAYSEAL_OK);
    CHECK(hits == 1 && misses == 2);
    payseal_secret_verifier_free(v);
    CHECK_RC(payseal_secret_verifier_shared(NULL, 0, 16, 300, &v), PAYSEAL_OK); /* the name "" */
    CHECK_RC(payseal_secret_verifier_len(v, &cached), PAYSEAL_OK);
    CHECK(cached == 0);
    payseal_secret_verifier_free(v);

    /* Redis-backed (the checks against a live Redis are in ffi-c/php/tests/redis.php): arguments
     * refused with nothing written; a Redis that is not there (port 1) costs bcrypt only. */
    static const uint8_t key[32] = "0123456789abcdef0123456789abcdef";
    uint64_t store_hits = 99;
    v = (PaysealSecretVerifier *)&v;
    CHECK_RC(payseal_secret_verifier_new_redis(16, 300, BYTES("redis://127.0.0.1:1/0"), key, 31, 0, &v),
             PAYSEAL_INVALID_KEY);
    CHECK(v == NULL);
    v = (PaysealSecretVerifier *)&v;
    CHECK_RC(payseal_secret_verifier_new_redis(16, 300, BYTES("http://127.0.0.1:1/"), key, 32, 0, &v),
             PAYSEAL_INVALID_ARGUMENT);
    CHECK(v == NULL);
    CHECK_RC(payseal_secret_verifier_new_redis(16, 300, (const uint8_t *)"\xff", 1, key, 32, 0, &v),
             PAYSEAL_INVALID_ARGUMENT);
    CHECK_RC(payseal_secret_verifier_new_redis(16, 300, NULL, 1, key, 32, 0, &v), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_secret_verifier_new_redis(16, 300, BYTES("redis://127.0.0.1:1/0"), NULL, 32, 0, &v),
             PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_secret_verifier_new_redis(16, 300, BYTES("redis://127.0.0.1:1/0"), key, 32, 0, NULL),
             PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_secret_verifier_shared_redis(BYTES("test_ffi_redis"), 16, 300, BYTES("redis://127.0.0.1:1/0"),
                                                  key, 31, 0, &v),
             PAYSEAL_INVALID_KEY);
    CHECK(v == NULL);
    CHECK_RC(payseal_secret_verifier_new_redis(0, 300, BYTES("redis://127.0.0.1:1/0"), key, 32, 20, &v), PAYSEAL_OK);
    for (int i = 0; i < 2; i++) {
        CHECK_RC(payseal_secret_verifier_verify(v, BYTES("sk_live_cached"), hash, n), PAYSEAL_OK);
        CHECK_RC(payseal_secret_verifier_verify(v, BYTES("sk_live_wrong"), hash, n), PAYSEAL_MISMATCH);
    }
    CHECK_RC(payseal_secret_verifier_stats(v, &hits, &misses), PAYSEAL_OK);
    CHECK_RC(payseal_secret_verifier_store_hits(v, &store_hits), PAYSEAL_OK);
    CHECK(hits == 0 && store_hits == 0 && misses == 4);
    CHECK_RC(payseal_secret_verifier_store_hits(v, NULL), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_secret_verifier_store_hits(NULL, &store_hits), PAYSEAL_NULL_POINTER);
    payseal_secret_verifier_free(v);
    CHECK_RC(payseal_secret_verifier_shared_redis(BYTES("test_ffi_redis"), 16, 300, BYTES("redis://127.0.0.1:1/0"),
                                                  key, 32, 20, &v),
             PAYSEAL_OK);
    CHECK_RC(payseal_secret_verifier_verify(v, BYTES("sk_live_cached"), hash, n), PAYSEAL_OK);
    CHECK_RC(payseal_secret_verifier_verify(v, BYTES("sk_live_cached"), hash, n), PAYSEAL_OK);
    CHECK_RC(payseal_secret_verifier_stats(v, &hits, &misses), PAYSEAL_OK);
    CHECK(hits == 1 && misses == 1);
    payseal_secret_verifier_free(v);
}

/* ------------------------------------------------------------------------------------------ */
/* API keys and table links */

static void test_api_keys(void) {
    uint8_t pk[PAYSEAL_API_KEY_LEN], sk[PAYSEAL_API_KEY_LEN], other[PAYSEAL_API_KEY_LEN];
    size_t n = 12345;
    uint32_t kind = 99, env = 99;

    CHECK_RC(payseal_api_key_generate(PAYSEAL_KEY_PUBLISHABLE, PAYSEAL_KEY_LIVE, pk, sizeof pk, &n), PAYSEAL_OK);
    CHECK(n == 40 && memcmp(pk, "pk_live_", 8) == 0);
    CHECK_RC(payseal_api_key_generate(PAYSEAL_KEY_SECRET, PAYSEAL_KEY_LIVE, sk, sizeof sk, &n), PAYSEAL_OK);
    CHECK(n == 40 && memcmp(sk, "sk_live_", 8) == 0 && memcmp(pk + 8, sk + 8, 32) != 0);
    CHECK_RC(payseal_api_key_inspect(sk, n, &kind, &env), PAYSEAL_OK);
    CHECK(kind == PAYSEAL_KEY_SECRET && env == PAYSEAL_KEY_LIVE);
    CHECK_RC(payseal_api_key_check_pair(pk, 40, sk, 40, &env), PAYSEAL_OK);
    CHECK(env == PAYSEAL_KEY_LIVE);
    CHECK_RC(payseal_api_key_check_pair(sk, 40, pk, 40, &env), PAYSEAL_KEY_NOT_PUBLISHABLE);
    CHECK_RC(payseal_api_key_check_pair(pk, 40, pk, 40, &env), PAYSEAL_KEY_NOT_SECRET);
    CHECK_RC(payseal_api_key_generate(PAYSEAL_KEY_SECRET, PAYSEAL_KEY_TEST, other, sizeof other, &n), PAYSEAL_OK);
    CHECK_RC(payseal_api_key_check_pair(pk, 40, other, 40, &env), PAYSEAL_KEY_ENVIRONMENT_MISMATCH);
    CHECK(env == PAYSEAL_KEY_LIVE);

    memset(other, SENTINEL, sizeof other);
    CHECK_RC(payseal_api_key_generate(PAYSEAL_KEY_SECRET, PAYSEAL_KEY_TEST, other, 39, &n), PAYSEAL_BUFFER_TOO_SMALL);
    CHECK(n == 40 && untouched(other, sizeof other));
    CHECK_RC(payseal_api_key_generate(PAYSEAL_KEY_SECRET, PAYSEAL_KEY_TEST, NULL, 0, &n), PAYSEAL_BUFFER_TOO_SMALL);
    CHECK(n == 40);
    CHECK_RC(payseal_api_key_generate(2, PAYSEAL_KEY_TEST, other, sizeof other, &n), PAYSEAL_INVALID_ARGUMENT);
    CHECK_RC(payseal_api_key_generate(PAYSEAL_KEY_SECRET, 2, other, sizeof other, &n), PAYSEAL_INVALID_ARGUMENT);
    CHECK_RC(payseal_api_key_generate(PAYSEAL_KEY_SECRET, PAYSEAL_KEY_TEST, other, sizeof other, NULL),
             PAYSEAL_NULL_POINTER);

    struct {
        const char *key;
        PaysealResult want;
    } bad[] = {
        {"rk_live_4eC39HqLyjWDarjtT1zdp7dcAbCdEfGh", PAYSEAL_KEY_UNKNOWN_PREFIX},
        {"sk_live", PAYSEAL_KEY_UNKNOWN_PREFIX},
        {"", PAYSEAL_KEY_UNKNOWN_PREFIX},
        {"pk_live_short", PAYSEAL_KEY_BAD_LENGTH},
        {"sk_test_4eC39HqLyjWDarjtT1zdp7dc-bCdEfGh", PAYSEAL_KEY_BAD_CHARACTER},
        {"sk_test_4eC39HqLyjWDarjtT1zdp7dc\xc3\xa9" "bCdEfGh", PAYSEAL_KEY_BAD_CHARACTER},
        {"sk_test_4eC39HqLyjWDarjtT1zdp7dc\xff" "AbCdEfGh", PAYSEAL_KEY_BAD_CHARACTER},
        {"\xff\xfe_test_4eC39HqLyjWDarjtT1zdp7dcAbCdEfGh", PAYSEAL_KEY_UNKNOWN_PREFIX},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        kind = env = 99;
        CHECK_RC(payseal_api_key_inspect((const uint8_t *)bad[i].key, strlen(bad[i].key), &kind, &env), bad[i].want);
        CHECK(kind == 99 && env == 99);
        CHECK_RC(payseal_api_key_check_pair((const uint8_t *)bad[i].key, strlen(bad[i].key), sk, 40, &env),
                 bad[i].want);
    }
    CHECK_RC(payseal_api_key_inspect(sk, 40, NULL, &env), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_api_key_inspect(sk, 40, &kind, NULL), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_api_key_inspect(NULL, 40, &kind, &env), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_api_key_check_pair(pk, 40, sk, 40, NULL), PAYSEAL_NULL_POINTER);
}

#define MERCHANT "3febce7d-03cd-40fe-b40f-fe9851b9c397"
#define TOKEN "00112233445566778899aabbccddeeff"
#define TABLE_URL "https://www.european-pay.fr/t/" MERCHANT "/" TOKEN

static void test_table_links(void) {
    uint8_t token[PAYSEAL_TABLE_TOKEN_HEX_LEN], token2[PAYSEAL_TABLE_TOKEN_HEX_LEN], url[128];
    size_t n = 12345, m;

    CHECK_RC(payseal_table_token_generate(token, sizeof token, &n), PAYSEAL_OK);
    CHECK(n == 32);
    CHECK_RC(payseal_table_token_generate(token2, sizeof token2, &n), PAYSEAL_OK);
    CHECK(memcmp(token, token2, 32) != 0);
    CHECK_RC(payseal_table_token_generate(NULL, 0, &n), PAYSEAL_BUFFER_TOO_SMALL);
    CHECK(n == 32);
    CHECK_RC(payseal_table_token_generate(token, sizeof token, NULL), PAYSEAL_NULL_POINTER);

    /* Build with the default base (upper-case input comes out lowercase), check, extract. */
    memset(url, SENTINEL, sizeof url);
    CHECK_RC(payseal_table_url(BYTES("3FEBCE7D-03CD-40FE-B40F-FE9851B9C397"), BYTES("00112233445566778899AABBCCDDEEFF"),
                               NULL, 0, url, sizeof url, &n),
             PAYSEAL_OK);
    CHECK(same(url, n, TABLE_URL) && untouched(url + n, sizeof url - n));
    CHECK_RC(payseal_table_url(BYTES(MERCHANT), BYTES(TOKEN), NULL, 0, NULL, 0, &m), PAYSEAL_BUFFER_TOO_SMALL);
    CHECK(m == n);
    memset(url, SENTINEL, sizeof url);
    CHECK_RC(payseal_table_url(BYTES(MERCHANT), BYTES(TOKEN), NULL, 0, url, n - 1, &m), PAYSEAL_BUFFER_TOO_SMALL);
    CHECK(m == n && untouched(url, sizeof url));
    CHECK_RC(payseal_table_url(BYTES(MERCHANT), BYTES("0011"), NULL, 0, url, sizeof url, &m),
             PAYSEAL_INVALID_TABLE_LINK);
    CHECK_RC(payseal_table_url(BYTES("3febce7d03cd40feb40ffe9851b9c397"), BYTES(TOKEN), NULL, 0, url, sizeof url, &m),
             PAYSEAL_INVALID_TABLE_LINK);
    CHECK_RC(payseal_table_url(BYTES(MERCHANT), BYTES(TOKEN), BYTES("\xff"), url, sizeof url, &m),
             PAYSEAL_INVALID_ARGUMENT);
    CHECK(untouched(url, sizeof url));
    CHECK_RC(payseal_table_url(BYTES(MERCHANT), BYTES(TOKEN), BYTES("eupay://t/"), url, sizeof url, &n), PAYSEAL_OK);
    CHECK(same(url, n, "eupay://t/" MERCHANT "/" TOKEN));
    CHECK_RC(payseal_table_url_verify(url, n, BYTES("eupay://t/"), BYTES(MERCHANT), BYTES(TOKEN)), PAYSEAL_OK);
    CHECK_RC(payseal_table_url_verify(url, n, NULL, 0, BYTES(MERCHANT), BYTES(TOKEN)), PAYSEAL_INVALID_TABLE_LINK);

    CHECK_RC(payseal_table_url_verify(BYTES(TABLE_URL), NULL, 0, BYTES(MERCHANT), BYTES(TOKEN)), PAYSEAL_OK);
    const char *wrong[] = {
        TABLE_URL "?x=1",
        "https://www.european-pay.fr/t/" MERCHANT "/00112233445566778899aabbccddeef0",
        "https://www.european-pay.fr/t/3febce7d-03cd-40fe-b40f-fe9851b9c398/" TOKEN,
        "https://evil.example/t/" MERCHANT "/" TOKEN,
        "https://www.european-pay.fr/t/" MERCHANT "/\xff" TOKEN,
        "",
    };
    for (size_t i = 0; i < sizeof wrong / sizeof *wrong; i++)
        CHECK_RC(payseal_table_url_verify((const uint8_t *)wrong[i], strlen(wrong[i]), NULL, 0, BYTES(MERCHANT),
                                          BYTES(TOKEN)),
                 PAYSEAL_INVALID_TABLE_LINK);
    CHECK_RC(payseal_table_url_verify(BYTES(TABLE_URL), NULL, 0, BYTES("nope"), BYTES(TOKEN)),
             PAYSEAL_INVALID_TABLE_LINK);
    CHECK_RC(payseal_table_url_verify(NULL, 10, NULL, 0, BYTES(MERCHANT), BYTES(TOKEN)), PAYSEAL_NULL_POINTER);

    memset(url, SENTINEL, sizeof url);
    CHECK_RC(payseal_table_url_merchant(BYTES(TABLE_URL), NULL, 0, url, sizeof url, &n), PAYSEAL_OK);
    CHECK(same(url, n, MERCHANT) && n == PAYSEAL_MERCHANT_ID_LEN);
    CHECK_RC(payseal_table_url_merchant(BYTES(TABLE_URL), NULL, 0, NULL, 0, &n), PAYSEAL_BUFFER_TOO_SMALL);
    CHECK(n == 36);
    memset(url, SENTINEL, sizeof url);
    CHECK_RC(payseal_table_url_merchant(BYTES(TABLE_URL "/"), NULL, 0, url, sizeof url, &n),
             PAYSEAL_INVALID_TABLE_LINK);
    CHECK(n == 0 && untouched(url, sizeof url));
    CHECK_RC(payseal_table_url_merchant(BYTES(TABLE_URL), NULL, 0, url, sizeof url, NULL), PAYSEAL_NULL_POINTER);
}

/* ------------------------------------------------------------------------------------------ */
/* Paylands */

static const char PAYLANDS_DATA[] = "{\"order\": {\"amount\": 1050, \"ref\": \"caf\\u00e9/1\"}, \"client\": {\"uuid\": \"C1\"}}";

static void test_paylands(void) {
    PaysealPaylandsKey *key = (PaysealPaylandsKey *)&key;
    uint8_t hex[64 + 4], data[256];
    char body[512];
    size_t n = 12345;
    uint32_t matched = 99;
    static uint8_t long_sig[257];
    memset(long_sig, 's', sizeof long_sig);

    CHECK_RC(payseal_paylands_key_new(NULL, 0, &key), PAYSEAL_EMPTY_SIGNATURE);
    CHECK(key == NULL);
    CHECK_RC(payseal_paylands_key_new(long_sig, sizeof long_sig, &key), PAYSEAL_SIGNATURE_TOO_LONG);
    CHECK_RC(payseal_paylands_key_new(BYTES("s1gnature"), NULL), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_paylands_key_new(BYTES("s1gnature"), &key), PAYSEAL_OK);

    /* The hashed JSON itself, in both flag sets. */
    CHECK_RC(payseal_paylands_encode_data(BYTES(PAYLANDS_DATA), PAYSEAL_PAYLANDS_NOTIFICATION,
                                          PAYSEAL_PAYLANDS_FLAGS_DEFAULT, data, sizeof data, &n),
             PAYSEAL_OK);
    CHECK(same(data, n, "{\"order\":{\"amount\":1050,\"ref\":\"caf\\u00e9\\/1\"},\"client\":{\"uuid\":\"C1\"}}"));
    CHECK_RC(payseal_paylands_encode_data(BYTES(PAYLANDS_DATA), PAYSEAL_PAYLANDS_NOTIFICATION,
                                          PAYSEAL_PAYLANDS_FLAGS_UNESCAPED, data, sizeof data, &n),
             PAYSEAL_OK);
    CHECK(same(data, n, "{\"order\":{\"amount\":1050,\"ref\":\"caf\xc3\xa9/1\"},\"client\":{\"uuid\":\"C1\"}}"));
    size_t need = n;
    memset(data, SENTINEL, sizeof data);
    CHECK_RC(payseal_paylands_encode_data(BYTES(PAYLANDS_DATA), PAYSEAL_PAYLANDS_NOTIFICATION,
                                          PAYSEAL_PAYLANDS_FLAGS_UNESCAPED, data, need - 1, &n),
             PAYSEAL_BUFFER_TOO_SMALL);
    CHECK(n == need && untouched(data, sizeof data));
    CHECK_RC(payseal_paylands_encode_data(BYTES("{\"client\":{}}"), PAYSEAL_PAYLANDS_NOTIFICATION,
                                          PAYSEAL_PAYLANDS_FLAGS_DEFAULT, data, sizeof data, &n),
             PAYSEAL_MALFORMED);
    CHECK_RC(payseal_paylands_encode_data(BYTES(PAYLANDS_DATA), PAYSEAL_PAYLANDS_NOTIFICATION,
                                          PAYSEAL_PAYLANDS_FLAGS_AUTO, data, sizeof data, &n),
             PAYSEAL_INVALID_ARGUMENT);

    /* Hash with the unescaped flags, then verify a body carrying it: auto says which matched. */
    memset(hex, SENTINEL, sizeof hex);
    CHECK_RC(payseal_paylands_hash(key, BYTES(PAYLANDS_DATA), PAYSEAL_PAYLANDS_NOTIFICATION,
                                   PAYSEAL_PAYLANDS_FLAGS_UNESCAPED, hex, sizeof hex, &n),
             PAYSEAL_OK);
    CHECK(n == 64 && untouched(hex + 64, 4));
    snprintf(body, sizeof body, "{\"code\":200,\"status\":\"paid\",\"order\":{\"amount\":1050,\"ref\":\"caf\xc3\xa9/1\"},"
             "\"client\":{\"uuid\":\"C1\"},\"validation_hash\":\"%.64s\"}", (const char *)hex);
    const uint8_t *b = (const uint8_t *)body;
    CHECK_RC(payseal_paylands_verify(key, b, strlen(body), PAYSEAL_PAYLANDS_NOTIFICATION, PAYSEAL_PAYLANDS_FLAGS_AUTO,
                                     &matched),
             PAYSEAL_OK);
    CHECK(matched == PAYSEAL_PAYLANDS_FLAGS_UNESCAPED);
    CHECK_RC(payseal_paylands_verify(key, b, strlen(body), PAYSEAL_PAYLANDS_NOTIFICATION,
                                     PAYSEAL_PAYLANDS_FLAGS_DEFAULT, &matched),
             PAYSEAL_MISMATCH);
    CHECK_RC(payseal_paylands_verify(key, b, strlen(body), PAYSEAL_PAYLANDS_RESPONSE, PAYSEAL_PAYLANDS_FLAGS_AUTO,
                                     &matched),
             PAYSEAL_MISMATCH);
    char *digit = &body[strlen(body) - 3]; /* the hash's last hex digit changes */
    *digit = *digit == '0' ? '1' : '0';
    CHECK_RC(payseal_paylands_verify(key, b, strlen(body), PAYSEAL_PAYLANDS_NOTIFICATION, PAYSEAL_PAYLANDS_FLAGS_AUTO,
                                     &matched),
             PAYSEAL_MISMATCH);

    const char *malformed[] = {"", "[1]", "{\"order\":{},\"validation_hash\":\"00\"}", "{\"order\":{}}",
                               "{\"order\":{},\"order\":{},\"validation_hash\":\"" TOKEN TOKEN "\"}", "{\"a\":"};
    for (size_t i = 0; i < sizeof malformed / sizeof *malformed; i++) {
        matched = 99;
        CHECK_RC(payseal_paylands_verify(key, (const uint8_t *)malformed[i], strlen(malformed[i]),
                                         PAYSEAL_PAYLANDS_NOTIFICATION, PAYSEAL_PAYLANDS_FLAGS_AUTO, &matched),
                 PAYSEAL_MALFORMED);
        CHECK(matched == 99);
    }
    CHECK_RC(payseal_paylands_verify(key, b, strlen(body), 2, PAYSEAL_PAYLANDS_FLAGS_AUTO, &matched),
             PAYSEAL_INVALID_ARGUMENT);
    CHECK_RC(payseal_paylands_verify(key, b, strlen(body), PAYSEAL_PAYLANDS_NOTIFICATION, 3, &matched),
             PAYSEAL_INVALID_ARGUMENT);
    CHECK_RC(payseal_paylands_verify(key, b, strlen(body), PAYSEAL_PAYLANDS_NOTIFICATION, 0, NULL),
             PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_paylands_verify(NULL, b, strlen(body), PAYSEAL_PAYLANDS_NOTIFICATION, 0, &matched),
             PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_paylands_verify(key, NULL, 4, PAYSEAL_PAYLANDS_NOTIFICATION, 0, &matched),
             PAYSEAL_NULL_POINTER);

    memset(hex, SENTINEL, sizeof hex);
    CHECK_RC(payseal_paylands_hash(key, BYTES(PAYLANDS_DATA), PAYSEAL_PAYLANDS_NOTIFICATION,
                                   PAYSEAL_PAYLANDS_FLAGS_DEFAULT, hex, 63, &n),
             PAYSEAL_BUFFER_TOO_SMALL);
    CHECK(n == 64 && untouched(hex, sizeof hex));
    CHECK_RC(payseal_paylands_hash(key, BYTES("nope"), PAYSEAL_PAYLANDS_NOTIFICATION, PAYSEAL_PAYLANDS_FLAGS_DEFAULT,
                                   hex, sizeof hex, &n),
             PAYSEAL_MALFORMED);
    CHECK(n == 0 && untouched(hex, sizeof hex));
    CHECK_RC(payseal_paylands_hash(key, BYTES(PAYLANDS_DATA), PAYSEAL_PAYLANDS_NOTIFICATION,
                                   PAYSEAL_PAYLANDS_FLAGS_AUTO, hex, sizeof hex, &n),
             PAYSEAL_INVALID_ARGUMENT);
    CHECK_RC(payseal_paylands_hash(NULL, BYTES(PAYLANDS_DATA), 0, 0, hex, sizeof hex, &n), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_paylands_hash(key, BYTES(PAYLANDS_DATA), 0, 0, hex, sizeof hex, NULL), PAYSEAL_NULL_POINTER);
    payseal_paylands_key_free(key);
    payseal_paylands_key_free(NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* EU Pay QR */

static const char QR_PAYLOAD[] =
    "{ \"type\": \"gateway_qr_payment\", \"amount\": 12.50, \"currency\": \"EUR\", "
    "\"expiresAt\": \"2026-06-18T05:28:20.000Z\" }";
static const char QR_CANONICAL[] =
    "{\"type\":\"gateway_qr_payment\",\"amount\":12.5,\"currency\":\"EUR\",\"expiresAt\":\"2026-06-18T05:28:20.000Z\"}";
#define QR_BEFORE_EXPIRY 1781760000 /* 2026-06-18T05:20:00Z */
#define QR_PREFIX "https://www.european-pay.fr/pay?data="

static void test_eupay_qr(void) {
    PaysealQrKey *key = (PaysealQrKey *)&key, *other = NULL;
    static uint8_t url[1024], part[1024], out[512], envelope[512];
    size_t n = 12345, url_len, m;

    CHECK_RC(payseal_eupay_qr_key_new(NULL, 0, &key), PAYSEAL_EMPTY_SECRET);
    CHECK(key == NULL);
    CHECK_RC(payseal_eupay_qr_key_new(BYTES("s3cr3t"), NULL), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_eupay_qr_key_new(NULL, 6, &key), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_eupay_qr_key_new(BYTES("s3cr3t"), &key), PAYSEAL_OK);
    CHECK_RC(payseal_eupay_qr_key_new(BYTES("other"), &other), PAYSEAL_OK);

    /* Sign: the URL, its parts, and their relations. */
    memset(url, SENTINEL, sizeof url);
    CHECK_RC(payseal_eupay_qr_sign(key, BYTES(QR_PAYLOAD), url, sizeof url, &url_len), PAYSEAL_OK);
    CHECK(url_len > strlen(QR_PREFIX) && memcmp(url, QR_PREFIX, strlen(QR_PREFIX)) == 0);
    CHECK(untouched(url + url_len, sizeof url - url_len));
    CHECK_RC(payseal_eupay_qr_sign_part(key, BYTES(QR_PAYLOAD), PAYSEAL_QR_URL, part, sizeof part, &n), PAYSEAL_OK);
    CHECK(n == url_len && memcmp(part, url, n) == 0);
    CHECK_RC(payseal_eupay_qr_sign_part(key, BYTES(QR_PAYLOAD), PAYSEAL_QR_CANONICAL, part, sizeof part, &n),
             PAYSEAL_OK);
    CHECK(same(part, n, QR_CANONICAL));
    CHECK_RC(payseal_eupay_qr_sign_part(key, BYTES(QR_PAYLOAD), PAYSEAL_QR_ENVELOPE_B64URL, part, sizeof part, &n),
             PAYSEAL_OK);
    CHECK(n + strlen(QR_PREFIX) == url_len && memcmp(part, url + strlen(QR_PREFIX), n) == 0);
    CHECK_RC(payseal_base64url_decode(part, n, envelope, sizeof envelope, &m), PAYSEAL_OK);
    CHECK_RC(payseal_eupay_qr_sign_part(key, BYTES(QR_PAYLOAD), PAYSEAL_QR_ENVELOPE, part, sizeof part, &n),
             PAYSEAL_OK);
    CHECK(n == m && memcmp(part, envelope, n) == 0 && memcmp(part, "{\"payload\":{", 12) == 0);
    /* The signature is HMAC-SHA256 of the canonical payload (computed here with the ABI's HMAC). */
    char hex[65];
    sign_hex("s3cr3t", (const uint8_t *)QR_CANONICAL, strlen(QR_CANONICAL), hex);
    CHECK_RC(payseal_eupay_qr_sign_part(key, BYTES(QR_PAYLOAD), PAYSEAL_QR_SIG_HEX, part, sizeof part, &n),
             PAYSEAL_OK);
    CHECK(same(part, n, hex));

    /* Sizes: a query and a buffer one byte short get the exact size and no bytes. */
    CHECK_RC(payseal_eupay_qr_sign(key, BYTES(QR_PAYLOAD), NULL, 0, &n), PAYSEAL_BUFFER_TOO_SMALL);
    CHECK(n == url_len);
    memset(part, SENTINEL, sizeof part);
    CHECK_RC(payseal_eupay_qr_sign(key, BYTES(QR_PAYLOAD), part, url_len - 1, &n), PAYSEAL_BUFFER_TOO_SMALL);
    CHECK(n == url_len && untouched(part, sizeof part));
    for (uint32_t p = PAYSEAL_QR_URL; p <= PAYSEAL_QR_SIG_HEX; p++) {
        CHECK_RC(payseal_eupay_qr_sign_part(key, BYTES(QR_PAYLOAD), p, NULL, 0, &n), PAYSEAL_BUFFER_TOO_SMALL);
        size_t need = n;
        memset(part, SENTINEL, sizeof part);
        CHECK_RC(payseal_eupay_qr_sign_part(key, BYTES(QR_PAYLOAD), p, part, need - 1, &n), PAYSEAL_BUFFER_TOO_SMALL);
        CHECK(n == need && untouched(part, sizeof part));
    }

    /* Bad payloads: JSON errors carry their offset; nothing written. */
    memset(part, SENTINEL, sizeof part);
    CHECK_RC(payseal_eupay_qr_sign(key, BYTES("{\"a\":1,\"a\":2}"), part, sizeof part, &n), PAYSEAL_JSON_DUPLICATE_KEY);
    CHECK(n == 7 && untouched(part, sizeof part));
    CHECK_RC(payseal_eupay_qr_sign(key, BYTES("{\"a\":"), part, sizeof part, &n), PAYSEAL_JSON_SYNTAX);
    CHECK_RC(payseal_eupay_qr_sign(key, BYTES("[1]"), part, sizeof part, &n), PAYSEAL_PAYLOAD_NOT_OBJECT);
    CHECK(n == 0 && untouched(part, sizeof part));
    CHECK_RC(payseal_eupay_qr_sign_part(key, BYTES("\"x\""), PAYSEAL_QR_CANONICAL, part, sizeof part, &n),
             PAYSEAL_PAYLOAD_NOT_OBJECT);
    static uint8_t big[70000];
    memset(big, ' ', sizeof big);
    big[0] = '{';
    big[sizeof big - 1] = '}';
    CHECK_RC(payseal_eupay_qr_sign(key, big, sizeof big, part, sizeof part, &n), PAYSEAL_TOO_LARGE);
    CHECK_RC(payseal_eupay_qr_sign_part(key, BYTES(QR_PAYLOAD), 5, part, sizeof part, &n), PAYSEAL_INVALID_ARGUMENT);
    CHECK_RC(payseal_eupay_qr_sign(NULL, BYTES(QR_PAYLOAD), part, sizeof part, &n), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_eupay_qr_sign(key, NULL, 5, part, sizeof part, &n), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_eupay_qr_sign(key, BYTES(QR_PAYLOAD), part, sizeof part, NULL), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_eupay_qr_sign(key, BYTES(QR_PAYLOAD), NULL, 16, &n), PAYSEAL_NULL_POINTER);

    /* Verify: the canonical payload comes back. */
    memset(out, SENTINEL, sizeof out);
    CHECK_RC(payseal_eupay_qr_verify(key, url, url_len, QR_BEFORE_EXPIRY, out, sizeof out, &n), PAYSEAL_OK);
    CHECK(same(out, n, QR_CANONICAL) && untouched(out + n, sizeof out - n));
    CHECK_RC(payseal_eupay_qr_verify(key, url, url_len, QR_BEFORE_EXPIRY, NULL, 0, &n), PAYSEAL_BUFFER_TOO_SMALL);
    CHECK(n == strlen(QR_CANONICAL));
    memset(out, SENTINEL, sizeof out);
    CHECK_RC(payseal_eupay_qr_verify(key, url, url_len, QR_BEFORE_EXPIRY, out, n - 1, &n), PAYSEAL_BUFFER_TOO_SMALL);
    CHECK(untouched(out, sizeof out));
    /* The deep link and the bare data parameter. */
    char deep[1100];
    snprintf(deep, sizeof deep, "eupay://pay?data=%.*s", (int)(url_len - strlen(QR_PREFIX)), url + strlen(QR_PREFIX));
    CHECK_RC(payseal_eupay_qr_verify(key, (const uint8_t *)deep, strlen(deep), QR_BEFORE_EXPIRY, out, sizeof out, &n),
             PAYSEAL_OK);
    CHECK_RC(payseal_eupay_qr_verify(key, url + strlen(QR_PREFIX), url_len - strlen(QR_PREFIX), QR_BEFORE_EXPIRY, out,
                                     sizeof out, &n),
             PAYSEAL_OK);

    /* Rejections, nothing written. */
    memset(out, SENTINEL, sizeof out);
    CHECK_RC(payseal_eupay_qr_verify(key, url, url_len, QR_BEFORE_EXPIRY + 3600, out, sizeof out, &n), PAYSEAL_EXPIRED);
    CHECK(n == 0 && untouched(out, sizeof out));
    CHECK_RC(payseal_eupay_qr_verify(other, url, url_len, QR_BEFORE_EXPIRY, out, sizeof out, &n),
             PAYSEAL_BAD_SIGNATURE);
    CHECK(n == 0 && untouched(out, sizeof out));
    const char *malformed[] = {"", "not a qr", "https://evil.example/pay?data=e30", QR_PREFIX, QR_PREFIX "e30",
                               QR_PREFIX "%zz", "eyJwYXlsb2FkIjpbXSwic2lnIjoiIn0"};
    for (size_t i = 0; i < sizeof malformed / sizeof *malformed; i++) {
        CHECK_RC(payseal_eupay_qr_verify(key, (const uint8_t *)malformed[i], strlen(malformed[i]), QR_BEFORE_EXPIRY,
                                         out, sizeof out, &n),
                 PAYSEAL_MALFORMED);
        CHECK(untouched(out, sizeof out));
    }
    CHECK_RC(payseal_eupay_qr_verify(key, big, sizeof big, QR_BEFORE_EXPIRY, out, sizeof out, &n), PAYSEAL_MALFORMED);
    CHECK_RC(payseal_eupay_qr_verify(key, url, url_len, QR_BEFORE_EXPIRY, url + 10, 64, &n), PAYSEAL_INVALID_ARGUMENT);
    CHECK_RC(payseal_eupay_qr_verify(NULL, url, url_len, QR_BEFORE_EXPIRY, out, sizeof out, &n), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_eupay_qr_verify(key, NULL, 4, QR_BEFORE_EXPIRY, out, sizeof out, &n), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_eupay_qr_verify(key, url, url_len, QR_BEFORE_EXPIRY, out, sizeof out, NULL), PAYSEAL_NULL_POINTER);
    payseal_eupay_qr_key_free(key);
    payseal_eupay_qr_key_free(other);
    payseal_eupay_qr_key_free(NULL);
}

/* Several threads share one key and the per-thread scratch concurrently. */
static PaysealHmacKey *shared_key;
static PaysealWebhookKeys *shared_webhook_keys;
static PaysealQrKey *shared_qr_key;
static uint8_t shared_qr[512];
static size_t shared_qr_len;
static void *worker(void *arg) {
    uint8_t tag[32], out[64], canonical[256], delivery[128];
    size_t n;
    PaysealSigned signed_layout;
    int *ok = arg;
    PaysealHeader h[1] = {
        header("X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")};
    for (int i = 0; i < 500; i++) {
        *ok &= payseal_webhook_verify(shared_webhook_keys, h, 1, BYTES("Hello, World!"), 0, 0) == PAYSEAL_OK;
        *ok &= payseal_webhook_sign(shared_webhook_keys, BYTES("Hello, World!"), 0, NULL, delivery, sizeof delivery, &n,
                                    &signed_layout) == PAYSEAL_OK &&
               same(delivery + signed_layout.headers[0].value_off, signed_layout.headers[0].value_len,
                    "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
        *ok &= payseal_paylands_encode_data(BYTES(PAYLANDS_DATA), 0, 0, out, sizeof out, &n) ==
               PAYSEAL_BUFFER_TOO_SMALL;
        *ok &= payseal_eupay_qr_verify(shared_qr_key, shared_qr, shared_qr_len, QR_BEFORE_EXPIRY, canonical,
                                       sizeof canonical, &n) == PAYSEAL_OK &&
               same(canonical, n, QR_CANONICAL);
        *ok &= payseal_hmac_sha256(shared_key, BYTES(JEFE_MSG), tag, sizeof tag, &n) == PAYSEAL_OK;
        *ok &= payseal_hmac_sha256_verify(shared_key, BYTES(JEFE_MSG), tag, n) == PAYSEAL_OK;
        *ok &= payseal_hex_decode(BYTES("00ff00ff"), out, sizeof out, &n) == PAYSEAL_OK && n == 4;
        *ok &= payseal_json_canonicalize(PAYSEAL_JSON_PHP, 0, BYTES("{\"a\":[1,2]}"), out, sizeof out, &n) ==
               PAYSEAL_OK;
    }
    return NULL;
}

static void test_threads(void) {
    pthread_t t[4];
    int ok[4] = {1, 1, 1, 1};
    CHECK_RC(payseal_hmac_sha256_key_new(BYTES("Jefe"), &shared_key), PAYSEAL_OK);
    shared_webhook_keys = webhook_keys(PAYSEAL_WEBHOOK_GITHUB, "It's a Secret to Everybody");
    CHECK_RC(payseal_eupay_qr_key_new(BYTES("s3cr3t"), &shared_qr_key), PAYSEAL_OK);
    CHECK_RC(payseal_eupay_qr_sign(shared_qr_key, BYTES(QR_PAYLOAD), shared_qr, sizeof shared_qr, &shared_qr_len),
             PAYSEAL_OK);
    for (int i = 0; i < 4; i++) CHECK(pthread_create(&t[i], NULL, worker, &ok[i]) == 0);
    for (int i = 0; i < 4; i++) CHECK(pthread_join(t[i], NULL) == 0 && ok[i]);
    payseal_hmac_sha256_key_free(shared_key);
    payseal_webhook_keys_free(shared_webhook_keys);
    payseal_eupay_qr_key_free(shared_qr_key);
}

/* The values form: the scheme's header names from the library, their values as arguments. */
static void test_webhook_values(void) {
    size_t count = 99, len = 0;
    bool encrypted = true;
    const uint8_t *name = NULL;
    CHECK_RC(payseal_webhook_scheme_info(PAYSEAL_WEBHOOK_GITHUB, &count, &encrypted), PAYSEAL_OK);
    CHECK(count == 1 && !encrypted);
    CHECK_RC(payseal_webhook_scheme_info(PAYSEAL_WEBHOOK_OPPWA, &count, &encrypted), PAYSEAL_OK);
    CHECK(count == 2 && encrypted);
    CHECK_RC(payseal_webhook_scheme_info(PAYSEAL_WEBHOOK_STANDARD, &count, &encrypted), PAYSEAL_OK);
    CHECK(count == 6 && !encrypted);
    CHECK_RC(payseal_webhook_scheme_info(99, &count, &encrypted), PAYSEAL_INVALID_ARGUMENT);
    CHECK_RC(payseal_webhook_scheme_info(PAYSEAL_WEBHOOK_GITHUB, NULL, &encrypted), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_webhook_header_name(PAYSEAL_WEBHOOK_GITHUB, 0, &name, &len), PAYSEAL_OK);
    CHECK(len == 19 && memcmp(name, "X-Hub-Signature-256", 19) == 0);
    CHECK_RC(payseal_webhook_header_name(PAYSEAL_WEBHOOK_GITHUB, 1, &name, &len), PAYSEAL_INVALID_ARGUMENT);
    CHECK_RC(payseal_webhook_header_name(PAYSEAL_WEBHOOK_GITHUB, 0, NULL, &len), PAYSEAL_NULL_POINTER);

    PaysealWebhookKeys *gh = webhook_keys(PAYSEAL_WEBHOOK_GITHUB, "It's a Secret to Everybody");
    const char *sig = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    CHECK_RC(payseal_webhook_verify_values(gh, (const uint8_t *)sig, strlen(sig), NULL, 0, BYTES("Hello, World!"), 0, 0),
             PAYSEAL_OK);
    CHECK_RC(payseal_webhook_verify_values(gh, (const uint8_t *)sig, strlen(sig), NULL, 0, BYTES("Hello, World?"), 0, 0),
             PAYSEAL_BAD_SIGNATURE);
    CHECK_RC(payseal_webhook_verify_values(gh, NULL, 0, NULL, 0, BYTES("Hello, World!"), 0, 0), PAYSEAL_MISSING_HEADER);
    PaysealErrorDetail detail;
    memset(&detail, 0, sizeof detail);
    CHECK_RC(payseal_last_error(&detail), PAYSEAL_OK);
    CHECK(detail.code == PAYSEAL_MISSING_HEADER && detail.header_len == 19);
    CHECK(detail.header != NULL && memcmp(detail.header, "X-Hub-Signature-256", 19) == 0);
    CHECK(!detail.has_offset && !detail.has_expires_at && detail.reason == NULL);
    /* By value: the same details. */
    PaysealErrorDetail by_value = payseal_last_error_value();
    CHECK(by_value.code == PAYSEAL_MISSING_HEADER && by_value.header == detail.header && by_value.header_len == 19);
    CHECK(!by_value.has_offset && !by_value.has_expires_at && !by_value.has_needed && by_value.reason == NULL);
    CHECK_RC(payseal_last_error(NULL), PAYSEAL_NULL_POINTER);
    /* A present but empty value is malformed, not missing. */
    CHECK_RC(payseal_webhook_verify_values(gh, BYTES(""), NULL, 0, BYTES("Hello, World!"), 0, 0),
             PAYSEAL_MALFORMED_HEADER);
    CHECK_RC(payseal_webhook_verify_values(gh, NULL, 3, NULL, 0, BYTES("x"), 0, 0), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_webhook_verify_values(NULL, BYTES("x"), NULL, 0, BYTES("x"), 0, 0), PAYSEAL_NULL_POINTER);
    payseal_webhook_keys_free(gh);

    /* OPPWA: two header values. */
    PaysealWebhookKeys *keys = webhook_keys(PAYSEAL_WEBHOOK_OPPWA, ZERO_KEY_HEX);
    CHECK_RC(payseal_webhook_verify_values(keys, BYTES("000000000000000000000000"),
                                           BYTES("d0d1c8a799996bf0265b98b5d48ab919"), BYTES(GCM14_CT), 0, 0),
             PAYSEAL_OK);
    CHECK_RC(payseal_webhook_verify_values(keys, BYTES("000000000000000000000000"),
                                           BYTES("00d1c8a799996bf0265b98b5d48ab919"), BYTES(GCM14_CT), 0, 0),
             PAYSEAL_BAD_SIGNATURE);
    payseal_webhook_keys_free(keys);

    /* Details of JSON errors and classes from the core's table. */
    uint8_t out[8];
    size_t n;
    CHECK_RC(payseal_json_canonicalize(PAYSEAL_JSON_JS, 0, BYTES("{\"a\":}"), out, sizeof out, &n), PAYSEAL_JSON_SYNTAX);
    CHECK_RC(payseal_last_error(&detail), PAYSEAL_OK);
    CHECK(detail.code == PAYSEAL_JSON_SYNTAX && detail.has_offset && detail.offset == 5 && n == 5);
    PaysealErrorDetail json_detail = payseal_last_error_value();
    CHECK(json_detail.code == PAYSEAL_JSON_SYNTAX && json_detail.has_offset && json_detail.offset == 5);
    CHECK(strcmp(payseal_result_class(PAYSEAL_JSON_SYNTAX), "JsonError") == 0);
    CHECK(strcmp(payseal_result_class(PAYSEAL_MISMATCH), "MismatchError") == 0);
    CHECK(strcmp(payseal_result_class(PAYSEAL_EMPTY_SECRET), "InvalidKeyError") == 0);
    CHECK(strcmp(payseal_result_class(9999), "PaysealError") == 0);
}

/* Standard base64, the constant-time comparison, and the unverified QR decoder. */
/* ---- webhook signing ---------------------------------------------------------------------- */

/* The headers of a signed delivery as PaysealHeader pairs into `out`, and the body to send. */
static size_t signed_headers(const uint8_t *out, const PaysealSigned *s, PaysealHeader *h) {
    for (size_t i = 0; i < s->header_count; i++) {
        const PaysealHeaderOut *o = &s->headers[i];
        PaysealHeader one = {out + o->name_off, o->name_len, out + o->value_off, o->value_len};
        h[i] = one;
    }
    return s->header_count;
}

/* Whether the n bytes at buf contain the text `want`. */
static int contains(const uint8_t *buf, size_t n, const char *want) {
    size_t w = strlen(want);
    for (size_t i = 0; i + w <= n; i++)
        if (memcmp(buf + i, want, w) == 0) return 1;
    return 0;
}

static int span_is(const uint8_t *out, size_t off, size_t len, const char *want) {
    return same(out + off, len, want);
}

static void test_webhook_sign(void) {
    static const struct {
        uint32_t scheme;
        const char *secret, *body;
    } cases[] = {
        {PAYSEAL_WEBHOOK_EUPAY, "whsec_eupay", "{\"event\":\"payment.completed\",\"amount\":12.5}"},
        {PAYSEAL_WEBHOOK_GITHUB, "It's a Secret to Everybody", "Hello, World!"},
        {PAYSEAL_WEBHOOK_STRIPE, "whsec_stripe", "{\"id\":\"evt_1\",\"type\":\"charge.succeeded\"}"},
        {PAYSEAL_WEBHOOK_STANDARD, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "{\"type\":\"x\"}"},
        {PAYSEAL_WEBHOOK_SHOPIFY, "shpss_x", "{\"id\":1}"},
        {PAYSEAL_WEBHOOK_CHECKOUT, "cko", "{\"id\":\"evt_1\"}"},
        {PAYSEAL_WEBHOOK_ADYEN_ITEM, "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056",
         "{\"pspReference\":\"7914073381342284\",\"merchantAccountCode\":\"TestMerchant\",\"merchantReference\":"
         "\"TestPayment-1407325143704\",\"amount\":{\"value\":1130,\"currency\":\"EUR\"},\"eventCode\":"
         "\"AUTHORISATION\",\"success\":\"true\"}"},
        {PAYSEAL_WEBHOOK_SPREEDLY, "spreedly", "<transaction>\n  <amount>100</amount>\n  <currency_code>EUR</currency_code>\n</transaction>\n"},
        {PAYSEAL_WEBHOOK_OPPWA, ZERO_KEY_HEX, "{\"type\":\"PAYMENT\"}"},
        {PAYSEAL_WEBHOOK_OPPWA_BASE64, ZERO_KEY_HEX, "{\"type\":\"PAYMENT\"}"},
    };
    const int64_t now = 1781699238;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        PaysealWebhookKeys *keys = webhook_keys(cases[c].scheme, cases[c].secret);
        const uint8_t *body = (const uint8_t *)cases[c].body;
        size_t body_len = strlen(cases[c].body), len = 0, n = 0, need = 0;
        CHECK_RC(payseal_webhook_sign_len(keys, body, body_len, now, NULL, &len), PAYSEAL_OK);
        uint8_t out[1024];
        CHECK(len <= sizeof out);
        memset(out, SENTINEL, sizeof out);
        PaysealSigned s;
        CHECK_RC(payseal_webhook_sign(keys, body, body_len, now, NULL, out, len, &n, &s), PAYSEAL_OK);
        CHECK(n > 0 && n <= len && untouched(out + n, sizeof out - n));
        /* Flat: names and values back to back, then the body; nothing else. */
        size_t at = 0;
        for (size_t i = 0; i < s.header_count; i++) {
            CHECK(s.headers[i].name_off == at && s.headers[i].value_off == at + s.headers[i].name_len);
            at = s.headers[i].value_off + s.headers[i].value_len;
        }
        CHECK(s.has_body ? (s.body_off == at && at + s.body_len == n) : at == n);
        /* The verifier accepts the delivery; a one-bit change of the body sent is rejected. */
        PaysealHeader h[PAYSEAL_WEBHOOK_SIGN_MAX_HEADERS];
        size_t count = signed_headers(out, &s, h);
        const uint8_t *sent = s.has_body ? out + s.body_off : body;
        size_t sent_len = s.has_body ? s.body_len : body_len;
        CHECK_RC(payseal_webhook_verify(keys, h, count, sent, sent_len, now + 60, 300), PAYSEAL_OK);
        uint8_t tampered[1024];
        memcpy(tampered, sent, sent_len);
        tampered[sent_len / 2] ^= 1;
        CHECK(payseal_webhook_verify(keys, h, count, tampered, sent_len, now + 60, 300) != PAYSEAL_OK);
        /* Size query and a buffer one byte short: the exact size, nothing written. */
        CHECK_RC(payseal_webhook_sign(keys, body, body_len, now, NULL, NULL, 0, &need, &s), PAYSEAL_BUFFER_TOO_SMALL);
        CHECK(need == n);
        PaysealSigned untouched_layout;
        memset(&untouched_layout, SENTINEL, sizeof untouched_layout);
        memset(out, SENTINEL, sizeof out);
        need = 0;
        CHECK_RC(payseal_webhook_sign(keys, body, body_len, now, NULL, out, n - 1, &need, &untouched_layout),
                 PAYSEAL_BUFFER_TOO_SMALL);
        CHECK(need == n && untouched(out, sizeof out));
        CHECK(untouched((const uint8_t *)&untouched_layout, sizeof untouched_layout));
        payseal_webhook_keys_free(keys);
    }

    /* GitHub's documented example, byte for byte. */
    PaysealWebhookKeys *gh = webhook_keys(PAYSEAL_WEBHOOK_GITHUB, "It's a Secret to Everybody");
    uint8_t out[1024];
    size_t n = 0;
    PaysealSigned s;
    CHECK_RC(payseal_webhook_sign(gh, BYTES("Hello, World!"), 0, NULL, out, sizeof out, &n, &s), PAYSEAL_OK);
    CHECK(same(out, n, "X-Hub-Signature-256sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"));
    CHECK(s.header_count == 1 && !s.has_body && s.headers[0].name_len == 19 && s.headers[0].value_len == 71);

    /* NULLs and overlaps: refused, nothing written. */
    memset(out, SENTINEL, sizeof out);
    CHECK_RC(payseal_webhook_sign(NULL, BYTES("x"), 0, NULL, out, sizeof out, &n, &s), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_webhook_sign(gh, NULL, 1, 0, NULL, out, sizeof out, &n, &s), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_webhook_sign(gh, BYTES("x"), 0, NULL, NULL, sizeof out, &n, &s), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_webhook_sign(gh, BYTES("x"), 0, NULL, out, sizeof out, NULL, &s), PAYSEAL_NULL_POINTER);
    n = 99;
    CHECK_RC(payseal_webhook_sign(gh, BYTES("x"), 0, NULL, out, sizeof out, &n, NULL), PAYSEAL_NULL_POINTER);
    CHECK(n == 0);
    CHECK_RC(payseal_webhook_sign(gh, out, 8, 0, NULL, out, sizeof out, &n, &s), PAYSEAL_INVALID_ARGUMENT);
    CHECK_RC(payseal_webhook_sign(gh, BYTES("x"), 0, NULL, out, sizeof out, &n, (PaysealSigned *)(void *)(out + 8)),
             PAYSEAL_INVALID_ARGUMENT);
    CHECK(untouched(out, sizeof out));
    size_t len = 0;
    CHECK_RC(payseal_webhook_sign_len(NULL, BYTES("x"), 0, NULL, &len), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_webhook_sign_len(gh, BYTES("x"), 0, NULL, NULL), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_webhook_sign(gh, NULL, 0, 0, NULL, out, sizeof out, &n, &s), PAYSEAL_OK); /* empty body */
    payseal_webhook_keys_free(gh);

    /* Stripe: "t=<now>,v1=" + hex HMAC of "<now>." + body, checked with the ABI's own HMAC. */
    PaysealWebhookKeys *stripe = webhook_keys(PAYSEAL_WEBHOOK_STRIPE, "whsec_stripe");
    const char *body = "{\"id\":\"evt_1\"}";
    char signed_msg[64], hex[65], want[128];
    snprintf(signed_msg, sizeof signed_msg, "1700000000.%s", body);
    sign_hex("whsec_stripe", (const uint8_t *)signed_msg, strlen(signed_msg), hex);
    snprintf(want, sizeof want, "t=1700000000,v1=%s", hex);
    CHECK_RC(payseal_webhook_sign(stripe, (const uint8_t *)body, strlen(body), 1700000000, NULL, out, sizeof out, &n, &s),
             PAYSEAL_OK);
    CHECK(s.header_count == 1 && span_is(out, s.headers[0].name_off, s.headers[0].name_len, "Stripe-Signature"));
    CHECK(span_is(out, s.headers[0].value_off, s.headers[0].value_len, want));
    PaysealErrorDetail why;
    CHECK_RC(payseal_webhook_sign(stripe, (const uint8_t *)body, strlen(body), -1, NULL, out, sizeof out, &n, &s),
             PAYSEAL_INVALID_ARGUMENT);
    CHECK(payseal_last_error(&why) == PAYSEAL_OK && same(why.reason, why.reason_len, "now"));
    payseal_webhook_keys_free(stripe);

    /* Standard Webhooks: the specification's example (id and timestamp given). */
    PaysealWebhookKeys *std_keys = webhook_keys(PAYSEAL_WEBHOOK_STANDARD, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    PaysealSignOptions opts = {BYTES("msg_p5jXN8AQM9LWM0D4loKWxJek"), NULL, 0, NULL, 0, NULL, 0};
    CHECK_RC(payseal_webhook_sign(std_keys, BYTES("{\"test\": 2432232314}"), 1614265330, &opts, out, sizeof out, &n, &s),
             PAYSEAL_OK);
    CHECK(s.header_count == 3 && !s.has_body);
    CHECK(span_is(out, s.headers[0].name_off, s.headers[0].name_len, "webhook-id"));
    CHECK(span_is(out, s.headers[0].value_off, s.headers[0].value_len, "msg_p5jXN8AQM9LWM0D4loKWxJek"));
    CHECK(span_is(out, s.headers[1].value_off, s.headers[1].value_len, "1614265330"));
    CHECK(span_is(out, s.headers[2].name_off, s.headers[2].name_len, "webhook-signature"));
    CHECK(span_is(out, s.headers[2].value_off, s.headers[2].value_len, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
    /* No id: msg_ + 32 random hex digits. */
    CHECK_RC(payseal_webhook_sign(std_keys, BYTES("{}"), 1614265330, NULL, out, sizeof out, &n, &s), PAYSEAL_OK);
    CHECK(s.headers[0].value_len == 36 && memcmp(out + s.headers[0].value_off, "msg_", 4) == 0);
    PaysealSignOptions bad_id = {BYTES("msg 1"), NULL, 0, NULL, 0, NULL, 0};
    memset(out, SENTINEL, sizeof out);
    CHECK_RC(payseal_webhook_sign(std_keys, BYTES("{}"), 1, &bad_id, out, sizeof out, &n, &s), PAYSEAL_INVALID_ARGUMENT);
    CHECK(n == 0 && untouched(out, sizeof out));
    CHECK(payseal_last_error(&why) == PAYSEAL_OK && same(why.reason, why.reason_len, "id"));
    PaysealSignOptions null_id = {NULL, 4, NULL, 0, NULL, 0, NULL, 0};
    CHECK_RC(payseal_webhook_sign(std_keys, BYTES("{}"), 1, &null_id, out, sizeof out, &n, &s), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_webhook_sign_len(std_keys, BYTES("{}"), 1, &null_id, &len), PAYSEAL_NULL_POINTER);
    payseal_webhook_keys_free(std_keys);

    /* OPPWA with a given IV: NIST GCM test case 14 (zero key and IV, 16 zero bytes). */
    PaysealWebhookKeys *oppwa = webhook_keys(PAYSEAL_WEBHOOK_OPPWA, ZERO_KEY_HEX);
    const uint8_t zeros[16] = {0};
    PaysealSignOptions iv = {NULL, 0, zeros, PAYSEAL_WEBHOOK_IV_LEN, NULL, 0, NULL, 0};
    CHECK_RC(payseal_webhook_sign(oppwa, zeros, 16, 0, &iv, out, sizeof out, &n, &s), PAYSEAL_OK);
    CHECK(s.header_count == 2 && s.has_body);
    CHECK(span_is(out, s.headers[0].value_off, s.headers[0].value_len, "000000000000000000000000"));
    CHECK(span_is(out, s.headers[1].value_off, s.headers[1].value_len, "d0d1c8a799996bf0265b98b5d48ab919"));
    CHECK(span_is(out, s.body_off, s.body_len, "cea7403d4d606b6e074ec5d3baf39d18"));
    iv.iv_len = 11;
    CHECK_RC(payseal_webhook_sign(oppwa, zeros, 16, 0, &iv, out, sizeof out, &n, &s), PAYSEAL_INVALID_ARGUMENT);
    CHECK(payseal_last_error(&why) == PAYSEAL_OK && same(why.reason, why.reason_len, "iv"));
    payseal_webhook_keys_free(oppwa);

    /* Spreedly options; bodies that cannot be signed. */
    PaysealWebhookKeys *sp = webhook_keys(PAYSEAL_WEBHOOK_SPREEDLY, "spreedly");
    const char *doc = "<transaction><amount>100</amount><currency_code>EUR</currency_code></transaction>";
    PaysealSignOptions fields = {NULL, 0, NULL, 0, BYTES("currency_code amount"), BYTES("sha512")};
    CHECK_RC(payseal_webhook_sign(sp, (const uint8_t *)doc, strlen(doc), 0, &fields, out, sizeof out, &n, &s), PAYSEAL_OK);
    CHECK(s.header_count == 0 && s.has_body && s.body_off == 0 && s.body_len == n);
    CHECK(contains(out, n, "<algorithm>sha512</algorithm>") && contains(out, n, "<fields>currency_code amount</fields>"));
    CHECK_RC(payseal_webhook_verify(sp, NULL, 0, out, n, 0, 0), PAYSEAL_OK);
    PaysealSignOptions md5 = {NULL, 0, NULL, 0, NULL, 0, BYTES("md5")};
    CHECK_RC(payseal_webhook_sign(sp, (const uint8_t *)doc, strlen(doc), 0, &md5, out, sizeof out, &n, &s),
             PAYSEAL_INVALID_ARGUMENT);
    CHECK_RC(payseal_webhook_sign(sp, BYTES("<transaction>"), 0, NULL, out, sizeof out, &n, &s), PAYSEAL_MALFORMED_BODY);
    payseal_webhook_keys_free(sp);
    PaysealWebhookKeys *adyen = webhook_keys(PAYSEAL_WEBHOOK_ADYEN_ITEM, "00112233");
    CHECK_RC(payseal_webhook_sign(adyen, BYTES("[]"), 0, NULL, out, sizeof out, &n, &s), PAYSEAL_MALFORMED_BODY);
    payseal_webhook_keys_free(adyen);
}

static void test_extras(void) {
    uint8_t out[64];
    size_t n = 99;
    bool equal = false;
    CHECK_RC(payseal_base64_encode(BYTES("\xfb\xff\x01"), out, sizeof out, &n), PAYSEAL_OK);
    CHECK(n == 4 && memcmp(out, "+/8B", 4) == 0);
    CHECK_RC(payseal_base64_encode(BYTES("ab"), out, sizeof out, &n), PAYSEAL_OK);
    CHECK(n == 4 && memcmp(out, "YWI=", 4) == 0);
    CHECK_RC(payseal_base64_decode(BYTES("YWI="), out, sizeof out, &n), PAYSEAL_OK);
    CHECK(n == 2 && memcmp(out, "ab", 2) == 0);
    CHECK_RC(payseal_base64_decode(BYTES("-_8B"), out, sizeof out, &n), PAYSEAL_INVALID_ENCODING);
    CHECK(n == 0);
    CHECK_RC(payseal_base64_encode(NULL, 1, out, sizeof out, &n), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_compare_digest(BYTES("abc"), BYTES("abc"), &equal), PAYSEAL_OK);
    CHECK(equal);
    CHECK_RC(payseal_compare_digest(BYTES("abc"), BYTES("abd"), &equal), PAYSEAL_OK);
    CHECK(!equal);
    CHECK_RC(payseal_compare_digest(BYTES("abc"), BYTES("ab"), &equal), PAYSEAL_OK);
    CHECK(!equal);
    CHECK_RC(payseal_compare_digest(NULL, 0, NULL, 0, &equal), PAYSEAL_OK);
    CHECK(equal);
    CHECK_RC(payseal_compare_digest(BYTES("a"), BYTES("a"), NULL), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_eupay_qr_decode_unverified(BYTES("eupay://pay?data=eyJwYXlsb2FkIjp7fSwic2lnIjoiIn0"), out,
                                                sizeof out, &n),
             PAYSEAL_OK);
    CHECK(n == 23 && memcmp(out, "{\"payload\":{},\"sig\":\"\"}", 23) == 0);
    memset(out, SENTINEL, sizeof out);
    CHECK_RC(payseal_eupay_qr_decode_unverified(BYTES("https://evil.example/pay?data=eyJ9"), out, sizeof out, &n),
             PAYSEAL_MALFORMED);
    CHECK(n == 0 && untouched(out, sizeof out));
    PaysealErrorDetail detail;
    CHECK_RC(payseal_last_error(&detail), PAYSEAL_OK);
    CHECK(detail.code == PAYSEAL_MALFORMED && detail.reason_len == 17 && memcmp(detail.reason, "unrecognised_link", 17) == 0);
}

/* JOSE: RFC 7515 appendix A.1 (HS256 JWT), RFC 8037 appendix A.4 (EdDSA), RFC 7638 §3.1. */
static const char A1_KEY[] =
    "{\"kty\":\"oct\",\"k\":\"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow\"}";
static const char A1_HEADER[] = "{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}";
static const char A1_PAYLOAD[] = "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}";
static const char A1_TOKEN[] =
    "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ."
    "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
static const char ED_JWK[] = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\","
                             "\"d\":\"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A\","
                             "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}";
static const char ED_TOKEN[] = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc."
                               "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

static PaysealResult jwt_verify(const PaysealJwkSet *set, const char *token, const char *algs, const char *aud,
                                const char *iss, int64_t now, uint8_t *out, size_t cap, size_t *n) {
    return payseal_jwt_verify(set, (const uint8_t *)token, strlen(token), (const uint8_t *)algs, strlen(algs),
                              (const uint8_t *)aud, aud ? strlen(aud) : 0, (const uint8_t *)iss,
                              iss ? strlen(iss) : 0, 0, now, out, cap, n);
}

static void test_jose(void) {
    uint8_t out[512];
    size_t n, len;
    PaysealJwkSet *set = (PaysealJwkSet *)&set; /* not NULL: set_new must reset it */

    /* Signing reproduces both RFC examples byte for byte (HS256 and EdDSA are deterministic). */
    CHECK_RC(payseal_jws_sign(BYTES(A1_KEY), BYTES(A1_HEADER), BYTES(A1_PAYLOAD), out, sizeof out, &n), PAYSEAL_OK);
    CHECK(same(out, n, A1_TOKEN));
    CHECK_RC(payseal_jws_sign(BYTES(ED_JWK), BYTES("{\"alg\":\"EdDSA\"}"), BYTES("Example of Ed25519 signing"), out,
                              sizeof out, &n),
             PAYSEAL_OK);
    CHECK(same(out, n, ED_TOKEN));
    memset(out, SENTINEL, sizeof out);
    CHECK_RC(payseal_jws_sign(BYTES(A1_KEY), BYTES(A1_HEADER), BYTES(A1_PAYLOAD), out, strlen(A1_TOKEN) - 1, &n),
             PAYSEAL_BUFFER_TOO_SMALL);
    CHECK(n == strlen(A1_TOKEN) && untouched(out, sizeof out));
    CHECK_RC(payseal_jws_sign(BYTES(A1_KEY), BYTES(A1_HEADER), BYTES(A1_PAYLOAD), NULL, 0, &n), PAYSEAL_BUFFER_TOO_SMALL);
    CHECK(n == strlen(A1_TOKEN));
    CHECK_RC(payseal_jws_sign(BYTES(A1_KEY), BYTES("{\"alg\":\"none\"}"), BYTES("x"), out, sizeof out, &n),
             PAYSEAL_ALG_NOT_ALLOWED);
    CHECK(n == 0);
    CHECK_RC(payseal_jws_sign(BYTES(A1_KEY), BYTES("{\"alg\":\"RS256\"}"), BYTES("x"), out, sizeof out, &n),
             PAYSEAL_INVALID_KEY);
    CHECK_RC(payseal_jws_sign(BYTES(A1_KEY), BYTES("{\"alg\":\"HS256\",\"crit\":[\"b64\"]}"), BYTES("x"), out,
                              sizeof out, &n),
             PAYSEAL_CRIT_UNSUPPORTED);
    CHECK_RC(payseal_jws_sign(BYTES("{\"kty\":\"oct\"}"), BYTES(A1_HEADER), BYTES("x"), out, sizeof out, &n),
             PAYSEAL_INVALID_KEY);
    CHECK_RC(payseal_jws_sign(NULL, 3, BYTES(A1_HEADER), BYTES("x"), out, sizeof out, &n), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_jws_sign(BYTES(A1_KEY), BYTES(A1_HEADER), BYTES("x"), out, sizeof out, NULL), PAYSEAL_NULL_POINTER);

    /* A realm-like set: the HMAC key, the Ed25519 key, an encryption key and an unknown type. */
    const char doc[] = "{\"keys\":["
                       "{\"kty\":\"oct\",\"kid\":\"hs\",\"k\":\"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow\"},"
                       "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"},"
                       "{\"kty\":\"oct\",\"use\":\"enc\",\"k\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"},"
                       "{\"kty\":\"XYZ\"}]}";
    CHECK_RC(payseal_jwk_set_new(BYTES("{\"keys\":"), &set), PAYSEAL_INVALID_KEY);
    CHECK(set == NULL);
    CHECK_RC(payseal_jwk_set_new(BYTES("[]"), &set), PAYSEAL_INVALID_KEY);
    CHECK_RC(payseal_jwk_set_new(BYTES(doc), NULL), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_jwk_set_new(NULL, 5, &set), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_jwk_set_new(BYTES(doc), &set), PAYSEAL_OK);
    CHECK_RC(payseal_jwk_set_len(set, &len), PAYSEAL_OK);
    CHECK(len == 2);
    CHECK_RC(payseal_jwk_set_skipped(set, &len), PAYSEAL_OK);
    CHECK(len == 2);
    CHECK_RC(payseal_jwk_set_len(NULL, &len), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_jwk_set_len(set, NULL), PAYSEAL_NULL_POINTER);
    bool has_kid = false;
    CHECK_RC(payseal_jwk_set_kid(set, 0, out, sizeof out, &n, &has_kid), PAYSEAL_OK);
    CHECK(has_kid && same(out, n, "hs"));
    CHECK_RC(payseal_jwk_set_kid(set, 1, out, sizeof out, &n, &has_kid), PAYSEAL_OK);
    CHECK(!has_kid && n == 0);
    CHECK_RC(payseal_jwk_set_kid(set, 2, out, sizeof out, &n, &has_kid), PAYSEAL_INVALID_ARGUMENT);
    CHECK_RC(payseal_jwk_set_kid(set, 0, out, 1, &n, &has_kid), PAYSEAL_BUFFER_TOO_SMALL);
    CHECK(n == 2);

    /* JWT: the claims come back as signed; every failure leaves the buffer untouched. */
    CHECK_RC(jwt_verify(set, A1_TOKEN, "HS256", NULL, "joe", 1300819379, out, sizeof out, &n), PAYSEAL_OK);
    CHECK(same(out, n, A1_PAYLOAD));
    CHECK_RC(jwt_verify(set, A1_TOKEN, "RS256,HS256", NULL, NULL, 1300819379, NULL, 0, &n), PAYSEAL_BUFFER_TOO_SMALL);
    CHECK(n == strlen(A1_PAYLOAD));
    struct {
        const char *token, *algs, *aud, *iss;
        int64_t now;
        PaysealResult want;
    } cases[] = {
        {A1_TOKEN, "HS256", NULL, NULL, 1300819380, PAYSEAL_EXPIRED},
        {A1_TOKEN, "HS384,RS256", NULL, NULL, 0, PAYSEAL_ALG_NOT_ALLOWED},
        {A1_TOKEN, "none,hs256", NULL, NULL, 0, PAYSEAL_ALG_NOT_ALLOWED},
        {A1_TOKEN, "", NULL, NULL, 0, PAYSEAL_INVALID_ARGUMENT},
        {A1_TOKEN, "HS256", "account", NULL, 0, PAYSEAL_AUDIENCE},
        {A1_TOKEN, "HS256", NULL, "JOE", 0, PAYSEAL_ISSUER},
        {A1_TOKEN, "HS256", NULL, "", 0, PAYSEAL_ISSUER},
        {ED_TOKEN, "EdDSA", NULL, NULL, 0, PAYSEAL_MALFORMED}, /* the payload is not JSON */
        {"eyJhbGciOiJIUzI1NiJ9.e30", "HS256", NULL, NULL, 0, PAYSEAL_MALFORMED},
        {"eyJhbGciOiJIUzI1NiIsImNyaXQiOlsiYjY0Il19.e30.AA", "HS256", NULL, NULL, 0, PAYSEAL_CRIT_UNSUPPORTED},
        {"eyJhbGciOiJIUzI1NiIsImtpZCI6Im5vIn0.e30.AA", "HS256", NULL, NULL, 0, PAYSEAL_KEY_NOT_FOUND},
        {"eyJhbGciOiJIUzI1NiJ9.e30.AA", "HS256", NULL, NULL, 0, PAYSEAL_BAD_SIGNATURE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        memset(out, SENTINEL, sizeof out);
        n = 12345;
        CHECK_RC(jwt_verify(set, cases[i].token, cases[i].algs, cases[i].aud, cases[i].iss, cases[i].now, out,
                            sizeof out, &n),
                 cases[i].want);
        CHECK(n == 0 && untouched(out, sizeof out));
    }
    CHECK_RC(jwt_verify(NULL, A1_TOKEN, "HS256", NULL, NULL, 0, out, sizeof out, &n), PAYSEAL_NULL_POINTER);
    CHECK_RC(jwt_verify(set, A1_TOKEN, "HS256", NULL, NULL, 0, out, sizeof out, NULL), PAYSEAL_NULL_POINTER);
    uint8_t both[512];
    memcpy(both, A1_TOKEN, strlen(A1_TOKEN));
    CHECK_RC(payseal_jwt_verify(set, both, strlen(A1_TOKEN), BYTES("HS256"), NULL, 0, NULL, 0, 0, 0, both + 10, 100, &n),
             PAYSEAL_INVALID_ARGUMENT);

    /* JWS: any payload; the EdDSA key has no kid and is the only one of its type. */
    CHECK_RC(payseal_jws_verify(set, BYTES(ED_TOKEN), BYTES("EdDSA"), out, sizeof out, &n), PAYSEAL_OK);
    CHECK(same(out, n, "Example of Ed25519 signing"));
    CHECK_RC(payseal_jws_verify(set, BYTES(ED_TOKEN), BYTES("ES256"), out, sizeof out, &n), PAYSEAL_ALG_NOT_ALLOWED);

    /* A verifier with fixed settings outlives the set's own handle. */
    PaysealJwtVerifier *v = NULL;
    CHECK_RC(payseal_jwt_verifier_new(set, BYTES("HS256"), NULL, 0, BYTES("joe"), 0, &v), PAYSEAL_OK);
    payseal_jwt_verifier_free(v);
    CHECK_RC(payseal_jwt_verifier_new(set, NULL, 0, NULL, 0, NULL, 0, 0, &v), PAYSEAL_INVALID_ARGUMENT);
    CHECK(v == NULL);
    CHECK_RC(payseal_jwt_verifier_new(set, BYTES("HS256,EdDSA"), NULL, 0, BYTES("joe"), 0, &v), PAYSEAL_OK);
    payseal_jwk_set_free(set);
    payseal_jwk_set_free(NULL);
    CHECK_RC(payseal_jwt_verifier_verify(v, BYTES(A1_TOKEN), 1300819379, out, sizeof out, &n), PAYSEAL_OK);
    CHECK(same(out, n, A1_PAYLOAD));
    CHECK_RC(payseal_jwt_verifier_verify(v, BYTES(A1_TOKEN), 1300819380, out, sizeof out, &n), PAYSEAL_EXPIRED);
    CHECK_RC(payseal_jwt_verifier_verify_jws(v, BYTES(ED_TOKEN), out, sizeof out, &n), PAYSEAL_OK);
    CHECK(same(out, n, "Example of Ed25519 signing"));
    CHECK_RC(payseal_jwt_verifier_verify(NULL, BYTES(A1_TOKEN), 0, out, sizeof out, &n), PAYSEAL_NULL_POINTER);
    payseal_jwt_verifier_free(v);
    payseal_jwt_verifier_free(NULL);

    /* Thumbprint (RFC 7638 §3.1) and the unverified look inside. */
    const char rsa[] =
        "{\"kty\":\"RSA\",\"n\":\"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_"
        "BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZ"
        "gnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-"
        "csFCur-kEgU8awapJzKnqDKgw\",\"e\":\"AQAB\",\"alg\":\"RS256\",\"kid\":\"2011-04-29\"}";
    CHECK_RC(payseal_jwk_thumbprint(BYTES(rsa), out, sizeof out, &n), PAYSEAL_OK);
    CHECK(same(out, n, "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"));
    memset(out, SENTINEL, sizeof out);
    CHECK_RC(payseal_jwk_thumbprint(BYTES(rsa), out, 42, &n), PAYSEAL_BUFFER_TOO_SMALL);
    CHECK(n == 43 && untouched(out, sizeof out));
    CHECK_RC(payseal_jwk_thumbprint(NULL, 0, out, sizeof out, &n), PAYSEAL_INVALID_KEY);
    CHECK_RC(payseal_jwk_thumbprint(BYTES("{\"kty\":\"XYZ\"}"), out, sizeof out, &n), PAYSEAL_INVALID_KEY);
    /* The signing algorithm when the caller names none: core's rule (SigningKey::default_algorithm). */
    const char oct32[] = "{\"kty\":\"oct\",\"k\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}";
    const char oct64_hs512[] = "{\"kty\":\"oct\",\"alg\":\"HS512\",\"k\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}";
    /* RFC 7518 §3.2: an HS512 key has at least 64 bytes; a 32-byte key naming HS512 fits nothing. */
    const char oct32_hs512[] = "{\"kty\":\"oct\",\"alg\":\"HS512\",\"k\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}";
    const char oct16[] = "{\"kty\":\"oct\",\"k\":\"AAAAAAAAAAAAAAAAAAAAAA\"}";
    CHECK_RC(payseal_jwk_default_algorithm(BYTES(oct32), out, sizeof out, &n), PAYSEAL_OK);
    CHECK(same(out, n, "HS256"));
    CHECK_RC(payseal_jwk_default_algorithm(BYTES(oct64_hs512), out, sizeof out, &n), PAYSEAL_OK);
    CHECK(same(out, n, "HS512"));
    CHECK_RC(payseal_jwk_default_algorithm(BYTES(oct32_hs512), out, sizeof out, &n), PAYSEAL_INVALID_KEY);
    memset(out, SENTINEL, sizeof out);
    CHECK_RC(payseal_jwk_default_algorithm(BYTES(oct16), out, sizeof out, &n), PAYSEAL_INVALID_KEY);
    CHECK(untouched(out, sizeof out));
    CHECK_RC(payseal_jwk_default_algorithm(BYTES(oct32), out, 2, &n), PAYSEAL_BUFFER_TOO_SMALL);
    CHECK_RC(payseal_jwk_default_algorithm(NULL, 0, out, sizeof out, &n), PAYSEAL_INVALID_KEY);
    CHECK_RC(payseal_jws_inspect(BYTES(A1_TOKEN), PAYSEAL_JWS_HEADER, out, sizeof out, &n), PAYSEAL_OK);
    CHECK(same(out, n, A1_HEADER));
    CHECK_RC(payseal_jws_inspect(BYTES(A1_TOKEN), PAYSEAL_JWS_PAYLOAD, out, sizeof out, &n), PAYSEAL_OK);
    CHECK(same(out, n, A1_PAYLOAD));
    CHECK_RC(payseal_jws_inspect(BYTES(A1_TOKEN), 2, out, sizeof out, &n), PAYSEAL_INVALID_ARGUMENT);
    CHECK_RC(payseal_jws_inspect(BYTES("a.b"), PAYSEAL_JWS_HEADER, out, sizeof out, &n), PAYSEAL_MALFORMED);
    CHECK(strcmp(payseal_result_name(PAYSEAL_KEY_NOT_FOUND), "key_not_found") == 0);

    /* The remote-set refresher: the core's policy, time as a parameter. */
    PaysealJwksRefresher *r = (PaysealJwksRefresher *)&r;
    bool answer = false;
    CHECK_RC(payseal_jwks_refresher_new(600, 30, NULL), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_jwks_refresher_new(600, 30, &r), PAYSEAL_OK);
    CHECK_RC(payseal_jwks_refresher_step(r, PAYSEAL_REFRESH_SHOULD_FETCH, 100, &answer), PAYSEAL_OK);
    CHECK(answer);
    CHECK_RC(payseal_jwks_refresher_step(r, PAYSEAL_REFRESH_ATTEMPT, 100, &answer), PAYSEAL_OK);
    CHECK_RC(payseal_jwks_refresher_step(r, PAYSEAL_REFRESH_FAILED, 101, &answer), PAYSEAL_OK);
    CHECK_RC(payseal_jwks_refresher_step(r, PAYSEAL_REFRESH_HAS_SET, 101, &answer), PAYSEAL_OK);
    CHECK(!answer);
    CHECK_RC(payseal_jwks_refresher_step(r, PAYSEAL_REFRESH_SHOULD_FETCH, 129, &answer), PAYSEAL_OK);
    CHECK(!answer); /* failed attempts are spaced by the cooldown */
    CHECK_RC(payseal_jwks_refresher_step(r, PAYSEAL_REFRESH_SHOULD_FETCH, 130, &answer), PAYSEAL_OK);
    CHECK(answer);
    CHECK_RC(payseal_jwks_refresher_step(r, PAYSEAL_REFRESH_ATTEMPT, 130, &answer), PAYSEAL_OK);
    CHECK_RC(payseal_jwks_refresher_step(r, PAYSEAL_REFRESH_SUCCEEDED, 130, &answer), PAYSEAL_OK);
    CHECK_RC(payseal_jwks_refresher_step(r, PAYSEAL_REFRESH_SHOULD_FETCH, 729, &answer), PAYSEAL_OK);
    CHECK(!answer);
    CHECK_RC(payseal_jwks_refresher_step(r, PAYSEAL_REFRESH_SHOULD_REFETCH_FOR_UNKNOWN_KID, 159, &answer), PAYSEAL_OK);
    CHECK(!answer);
    CHECK_RC(payseal_jwks_refresher_step(r, PAYSEAL_REFRESH_SHOULD_REFETCH_FOR_UNKNOWN_KID, 160, &answer), PAYSEAL_OK);
    CHECK(answer);
    CHECK_RC(payseal_jwks_refresher_step(r, 6, 0, &answer), PAYSEAL_INVALID_ARGUMENT);
    CHECK_RC(payseal_jwks_refresher_step(r, PAYSEAL_REFRESH_HAS_SET, 0, NULL), PAYSEAL_NULL_POINTER);
    CHECK_RC(payseal_jwks_refresher_step(NULL, PAYSEAL_REFRESH_HAS_SET, 0, &answer), PAYSEAL_NULL_POINTER);
    payseal_jwks_refresher_free(r);
    payseal_jwks_refresher_free(NULL);
    CHECK(strcmp(payseal_result_class(PAYSEAL_AUDIENCE), "ClaimError") == 0);
}

int main(void) {
    test_meta();
    test_hex();
    test_base64url();
    test_hmac();
    test_json();
    test_webhook_keys();
    test_webhook_keys_packed_and_shared();
    test_webhook_verify();
    test_webhook_open();
    test_webhook_packed();
    test_webhook_values();
    test_webhook_sign();
    test_extras();
    test_webhook_batch();
    test_bcrypt();
    test_secret_verifier();
    test_api_keys();
    test_table_links();
    test_paylands();
    test_eupay_qr();
    test_jose();
    test_threads();
    printf("c: %d passed, %d failed\n", passed, failed);
    return failed != 0;
}
