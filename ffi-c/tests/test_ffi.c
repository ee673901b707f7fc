/*
 * The C ABI's own test, built by scripts/test-ffi.sh against the static library with
 * -fsanitize=address,undefined. Every export, with good input, NULL pointers, too-small
 * buffers and malformed input; outputs must stay untouched on failure.
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
    CHECK_RC(payseal_hmac_sha256_key_new(NULL, 0, &key), PAYSEAL_INVALID_KEY);
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

/* Several threads share one key and the per-thread scratch concurrently. */
static PaysealHmacKey *shared_key;
static void *worker(void *arg) {
    uint8_t tag[32], out[64];
    size_t n;
    int *ok = arg;
    for (int i = 0; i < 500; i++) {
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
    for (int i = 0; i < 4; i++) CHECK(pthread_create(&t[i], NULL, worker, &ok[i]) == 0);
    for (int i = 0; i < 4; i++) CHECK(pthread_join(t[i], NULL) == 0 && ok[i]);
    payseal_hmac_sha256_key_free(shared_key);
}

int main(void) {
    test_meta();
    test_hex();
    test_base64url();
    test_hmac();
    test_json();
    test_threads();
    printf("c: %d passed, %d failed\n", passed, failed);
    return failed != 0;
}
