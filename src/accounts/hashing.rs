//! Password hashing: argon2id with OWASP's parameters, on the blocking pool, a few at a time,
//! with its memory mapped from the system for each hash.

use std::sync::LazyLock;

use argon2::password_hash::{
    Decimal, Ident, Output, ParamsString, PasswordHash, PasswordHasher, PasswordVerifier, Salt, SaltString,
    rand_core::OsRng,
};
use argon2::{Algorithm, Argon2, Block, Params, Version};

/// argon2id with OWASP's first recommended setting: 19 MiB, 2 passes, 1 lane.
fn argon2() -> MappedArgon2 {
    let params = Params::new(19 * 1024, 2, 1, None).expect("OWASP parameters are valid");
    MappedArgon2 {
        algorithm: Algorithm::Argon2id,
        version: Version::V0x13,
        params,
    }
}

/// argon2 whose memory (19 MiB a hash) is mapped from the system for each computation and
/// unmapped when it ends, so it goes back at once. From the allocator, a burst of logins left
/// the server about 16 MB larger for good (the load proof: 45 MB at rest, 62 MB after 2,000
/// logins). Verification goes through [`PasswordVerifier`]'s constant-time comparison.
struct MappedArgon2 {
    algorithm: Algorithm,
    version: Version,
    params: Params,
}

impl PasswordHasher for MappedArgon2 {
    type Params = Params;

    fn hash_password<'a>(
        &self,
        password: &[u8],
        salt: impl Into<Salt<'a>>,
    ) -> argon2::password_hash::Result<PasswordHash<'a>> {
        let salt = salt.into();
        let mut salt_bytes = [0u8; 64];
        let salt_bytes = salt.decode_b64(&mut salt_bytes)?;
        let argon2 = Argon2::new(self.algorithm, self.version, self.params.clone());
        let mut memory = MappedBlocks::new(self.params.block_count())
            .map_err(|_| argon2::password_hash::Error::Algorithm)?;
        let length = self.params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
        let output = Output::init_with(length, |out| {
            Ok(argon2.hash_password_into_with_memory(password, salt_bytes, out, memory.blocks())?)
        })?;
        Ok(PasswordHash {
            algorithm: self.algorithm.ident(),
            version: Some(self.version.into()),
            params: ParamsString::try_from(&self.params)?,
            salt: Some(salt),
            hash: Some(output),
        })
    }

    fn hash_password_customized<'a>(
        &self,
        password: &[u8],
        algorithm: Option<Ident<'a>>,
        version: Option<Decimal>,
        params: Params,
        salt: impl Into<Salt<'a>>,
    ) -> argon2::password_hash::Result<PasswordHash<'a>> {
        MappedArgon2 {
            algorithm: algorithm
                .map(Algorithm::try_from)
                .transpose()?
                .unwrap_or_default(),
            version: version.map(Version::try_from).transpose()?.unwrap_or_default(),
            params,
        }
        .hash_password(password, salt)
    }
}

/// argon2's blocks in an anonymous mapping of their own, unmapped when dropped.
struct MappedBlocks {
    map: memmap2::MmapMut,
    count: usize,
}

impl MappedBlocks {
    fn new(count: usize) -> std::io::Result<Self> {
        let map = memmap2::MmapMut::map_anon(count * std::mem::size_of::<Block>())?;
        Ok(Self { map, count })
    }

    fn blocks(&mut self) -> &mut [Block] {
        let start = self.map.as_mut_ptr().cast::<Block>();
        debug_assert!(start.is_aligned(), "a mapping starts on a page");
        // SAFETY: the mapping is `count` blocks long, page-aligned (a block needs 64), zeroed by
        // the system (a block is plain `u64`s, so zeroes are a valid block), and borrowed
        // mutably for as long as the slice lives.
        unsafe { std::slice::from_raw_parts_mut(start, self.count) }
    }
}

/// How many argon2 computations run at once: one per core. Each takes 19 MiB and tens of
/// milliseconds of a core; past this, requests wait their turn instead of piling up threads
/// and memory (a burst of logins cannot exhaust the machine).
static HASHING: LazyLock<tokio::sync::Semaphore> =
    LazyLock::new(|| tokio::sync::Semaphore::new(hashing_limit()));

/// The number of argon2 computations allowed at once.
pub fn hashing_limit() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Runs an argon2 computation on the blocking pool once a hashing permit is free.
async fn with_hashing_permit<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let _permit = HASHING.acquire().await.expect("the semaphore is never closed");
    tokio::task::spawn_blocking(move || {
        let _running = running::Running::start();
        work()
    })
    .await
    .expect("hashing task panicked")
}

/// Counts argon2 computations in flight (and the most ever seen), for tests.
mod running {
    use std::sync::atomic::{AtomicUsize, Ordering};

    static NOW: AtomicUsize = AtomicUsize::new(0);
    static PEAK: AtomicUsize = AtomicUsize::new(0);

    pub struct Running;

    impl Running {
        pub fn start() -> Self {
            let now = NOW.fetch_add(1, Ordering::SeqCst) + 1;
            PEAK.fetch_max(now, Ordering::SeqCst);
            Running
        }
    }

    impl Drop for Running {
        fn drop(&mut self) {
            NOW.fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// The most argon2 computations that ever ran at the same time in this process.
    pub fn peak() -> usize {
        PEAK.load(Ordering::SeqCst)
    }
}

pub use running::peak as peak_concurrent_hashes;

/// A hash of nothing in particular, checked when the email is unknown so that a login for an
/// unknown account costs the same time as one for a known account.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| hash_blocking("not a real password"));

fn hash_blocking(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing cannot fail with valid params")
        .to_string()
}

/// Hashes a password off the async executor (argon2 takes tens of milliseconds on purpose).
pub async fn hash_password(password: String) -> String {
    with_hashing_permit(move || hash_blocking(&password)).await
}

/// Checks a password against a stored hash, or against a dummy one when there is none.
pub async fn verify_password(stored: Option<String>, password: String) -> bool {
    let hash = stored;
    with_hashing_permit(move || {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| DUMMY_HASH.clone());
        let ok = PasswordHash::new(&hash)
            .map(|parsed| argon2().verify_password(password.as_bytes(), &parsed).is_ok())
            .unwrap_or(false);
        known && ok
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_on_mapped_memory_are_the_argon2_crates_own() {
        let salt = SaltString::generate(&mut OsRng);
        let params = Params::new(19 * 1024, 2, 1, None).unwrap();
        let theirs = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(b"correct horse battery", &salt)
            .unwrap()
            .to_string();
        let ours = argon2()
            .hash_password(b"correct horse battery", &salt)
            .unwrap()
            .to_string();
        assert_eq!(ours, theirs);
        // A hash stored with other parameters still verifies (they come from the hash).
        let older = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8 * 1024, 3, 1, None).unwrap(),
        )
        .hash_password(b"an older passphrase", &salt)
        .unwrap()
        .to_string();
        let older = PasswordHash::new(&older).unwrap();
        assert!(argon2().verify_password(b"an older passphrase", &older).is_ok());
        assert!(argon2().verify_password(b"another passphrase", &older).is_err());
    }
}
