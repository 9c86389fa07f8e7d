//! Record ids as the contract shows them: a prefix and 8 random characters from `[A-Z0-9]`.

use rand::Rng;

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const RANDOM_LEN: usize = 8;

/// How many times an insert is retried when a fresh id collides (36^8 ≈ 2.8e12: practically never).
pub const MAX_ID_ATTEMPTS: usize = 5;

pub const USER: &str = "USR_";
pub const ACCOUNT: &str = "ACC_";
pub const CONTACT: &str = "CON_";
pub const LEAD: &str = "LEAD_";
pub const OPPORTUNITY: &str = "OPP_";
pub const ACTIVITY: &str = "ACT_";
pub const TASK: &str = "TASK_";
pub const ORDER: &str = "ORD_";
pub const STAGE_CHANGE: &str = "OSH_";
pub const NOTIFICATION: &str = "NTF_";
pub const OUTBOX: &str = "OBX_";
pub const DOCUMENT: &str = "DOC_";

/// A new random id with `prefix`.
pub fn new_id(prefix: &str) -> String {
    let mut rng = rand::rng();
    let mut id = String::with_capacity(prefix.len() + RANDOM_LEN);
    id.push_str(prefix);
    for _ in 0..RANDOM_LEN {
        id.push(ALPHABET[rng.random_range(0..ALPHABET.len())] as char);
    }
    id
}

/// True when `id` has the shape of an id with `prefix` (checked before any lookup).
pub fn is_valid(prefix: &str, id: &str) -> bool {
    id.strip_prefix(prefix).is_some_and(|rest| {
        rest.len() == RANDOM_LEN && rest.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_the_contract_shape() {
        for prefix in [ACCOUNT, CONTACT, LEAD, OPPORTUNITY, ACTIVITY, TASK] {
            let id = new_id(prefix);
            assert!(is_valid(prefix, &id), "{id}");
            assert_eq!(id.len(), prefix.len() + 8);
        }
        assert!(!is_valid(ACCOUNT, "ACC_a1b2c3d4"));
        assert!(!is_valid(ACCOUNT, "ACC_A1B2C3D"));
        assert!(!is_valid(ACCOUNT, "CON_A1B2C3D4"));
    }

    #[test]
    fn ids_are_random() {
        let a: std::collections::HashSet<String> = (0..1000).map(|_| new_id(LEAD)).collect();
        assert_eq!(a.len(), 1000);
    }
}
