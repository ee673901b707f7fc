//! bcrypt verify and hash, and key parsing, allocate nothing: a counting global allocator
//! proves it. Counting is per thread, so the test harness's own threads do not interfere.

mod counting;

use payseal::secrets::bcrypt::{self, BcryptError, HASH_LEN};
use payseal::secrets::keys::{self, ApiKey, TableLink, TABLE_URL_BASE};

fn allocations_during(f: impl FnOnce()) -> usize {
    counting::allocations(f).1
}

#[test]
fn hot_paths_allocate_nothing() {
    let hash = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
    let n = allocations_during(|| {
        assert_eq!(bcrypt::verify(b"U*U", hash), Ok(()));
        assert_eq!(bcrypt::verify(b"U*U*", hash), Err(BcryptError::Mismatch));
        assert_eq!(bcrypt::verify(b"U*U", "$2x$05$"), Err(BcryptError::MalformedHash));
    });
    assert_eq!(n, 0, "bcrypt::verify allocated");

    let n = allocations_during(|| {
        let mut out = [0u8; HASH_LEN];
        assert_eq!(bcrypt::hash(b"secret", 4, &[1; 16], &mut out), Ok(HASH_LEN));
    });
    assert_eq!(n, 0, "bcrypt::hash allocated");

    let n = allocations_during(|| {
        let key = ApiKey::parse("sk_live_4eC39HqLyjWDarjtT1zdp7dcAbCdEfGh").expect("valid key");
        assert_eq!(key.kind(), keys::KeyKind::Secret);
        let url = "https://www.european-pay.fr/t/3febce7d-03cd-40fe-b40f-fe9851b9c397/00112233445566778899aabbccddeeff";
        assert!(TableLink::parse(url, TABLE_URL_BASE).is_ok());
    });
    assert_eq!(n, 0, "key or table-link parsing allocated");

    // The counter does count: a Vec allocates.
    assert!(allocations_during(|| drop(std::hint::black_box(vec![1u8; 8]))) > 0);
}
