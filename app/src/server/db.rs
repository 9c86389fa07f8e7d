//! The database: one portable SQL dialect over sqlx's `Any` driver, on SQLite or PostgreSQL.
//!
//! Why one dialect instead of a storage trait with one implementation per engine: every query is
//! written once, so no business rule can differ between engines. The price is a small common
//! subset — TEXT timestamps (RFC 3339, `Z`), BIGINT cents for money, BIGINT 0/1 for flags,
//! `$1` placeholders — and two migration folders that create the same schema.

use std::{
    ops::{Deref, DerefMut},
    sync::Arc,
    time::Duration,
};

use sqlx::{
    Any, AnyConnection, AnyPool, Executor, Transaction,
    any::{AnyConnectOptions, AnyPoolOptions},
};
use tokio::sync::{Mutex, OwnedMutexGuard};

/// Which engine a `Db` talks to. Only connection setup and migrations look at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn from_url(url: &str) -> Option<Engine> {
        if url.starts_with("sqlite:") {
            Some(Engine::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Engine::Postgres)
        } else {
            None
        }
    }
}

/// A connection pool and the engine behind it. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    engine: Engine,
    /// SQLite: this process's writers queue here, in order, before they take a connection and
    /// the file's write lock. Without it every waiting writer holds a pooled connection while
    /// SQLite's busy handler sleeps and polls for the lock: readers run out of connections,
    /// and an unlucky writer waits hundreds of milliseconds.
    writer_turn: Arc<Mutex<()>>,
}

/// How long a writer waits for its turn: as long as SQLite's busy timeout lets it wait for
/// another process's write.
const WRITER_TURN_TIMEOUT: Duration = Duration::from_secs(10);

/// A write transaction; on SQLite it holds this process's writer turn until it ends. Used like
/// the connection it wraps (`&mut *tx`); `commit` or `rollback` ends it, dropping it rolls back.
pub struct WriteTx {
    tx: Transaction<'static, Any>,
    // After `tx`: fields drop in order, so an abandoned transaction's rollback is queued on its
    // connection before the next writer gets its turn.
    _turn: Option<OwnedMutexGuard<()>>,
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}

impl Deref for WriteTx {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        &self.tx
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// Per-connection SQLite settings for a server: WAL so readers never wait for the writer,
/// NORMAL sync (durable across process crashes; see the README), foreign keys enforced, a
/// busy timeout so a writer waits for the lock instead of failing, and an 8 MB page cache per
/// connection (each connection has its own; the operating system's file cache is shared, so
/// larger private caches mostly duplicate it and grow the server's memory).
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA cache_size = -8000;";

/// A bulk load (`lanes seed`) writes through one connection whose page cache holds the indexes
/// it is filling (up to 1 GB): with a server's 8 MB, inserting a million rows under random ids
/// spends its time re-reading index pages.
const SQLITE_BULK_LOAD_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA cache_size = -1000000;";

impl Db {
    /// Connects to `url` (`sqlite:` or `postgres://`). Does not run migrations.
    pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
        Self::connect_tuned(url, SQLITE_PRAGMAS, 8).await
    }

    /// Connects for a bulk load: on SQLite one connection with a large page cache.
    pub async fn connect_for_bulk_load(url: &str) -> Result<Db, sqlx::Error> {
        Self::connect_tuned(url, SQLITE_BULK_LOAD_PRAGMAS, 1).await
    }

    async fn connect_tuned(
        url: &str,
        sqlite_pragmas: &'static str,
        sqlite_connections: u32,
    ) -> Result<Db, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let engine = Engine::from_url(url)
            .ok_or_else(|| sqlx::Error::Configuration("DATABASE_URL must start with sqlite: or postgres://".into()))?;
        let options: AnyConnectOptions = url.parse()?;
        let pool = match engine {
            Engine::Sqlite => {
                AnyPoolOptions::new()
                    // SQLite has one writer at a time anyway; a few connections serve the readers.
                    .max_connections(sqlite_connections)
                    .min_connections(1)
                    // A connection to a file cannot go stale; the default ping before each
                    // checkout is a round trip to the connection's thread per query.
                    .test_before_acquire(false)
                    .acquire_timeout(Duration::from_secs(10))
                    .after_connect(move |conn, _meta| {
                        Box::pin(async move {
                            conn.execute(sqlite_pragmas).await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?
            }
            Engine::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(16)
                    // No ping before each checkout (a round trip per query): after a database
                    // restart a pooled connection fails its next query once and is replaced,
                    // like the requests in flight during the restart.
                    .test_before_acquire(false)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(options)
                    .await?
            }
        };
        Ok(Db { pool, engine, writer_turn: Arc::new(Mutex::new(())) })
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Applies the migrations of this engine that are not applied yet.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self.engine {
            Engine::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await,
            Engine::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await,
        }
    }

    /// Starts a transaction that will write. On SQLite it waits for this process's writer
    /// turn, then takes the write lock up front (`BEGIN IMMEDIATE`): a deferred transaction
    /// that reads first and writes later can fail with "database is locked" when another
    /// writer got there in between; this one waits.
    pub async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        match self.engine {
            Engine::Sqlite => {
                let turn = tokio::time::timeout(WRITER_TURN_TIMEOUT, self.writer_turn.clone().lock_owned())
                    .await
                    .map_err(|_| sqlx::Error::PoolTimedOut)?;
                let tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
                Ok(WriteTx { tx, _turn: Some(turn) })
            }
            Engine::Postgres => Ok(WriteTx { tx: self.pool.begin().await?, _turn: None }),
        }
    }

    /// True when the database answers a trivial query within two seconds.
    pub async fn is_reachable(&self) -> bool {
        let ping = sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(&self.pool);
        matches!(tokio::time::timeout(Duration::from_secs(2), ping).await, Ok(Ok(1)))
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}
