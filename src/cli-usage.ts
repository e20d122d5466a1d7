// What `confab` says about its commands, shared by the entry point and the one-off commands.

export const USAGE = `Usage: confab <command>

  start                                      serve HTTP (embedded PostgreSQL unless DATABASE_URL is set)
  migrate                                    apply pending database migrations
  platform-app create --name NAME [--json]   create a platform app and print its access token
  platform-app list [--json]                 list platform apps
  platform-app revoke ID [--json]            revoke a platform app's token
  platform-app permit APP_ID account|user|agent_bot OBJECT_ID [--json]
                                             let a platform app manage an existing object
  user create --email E --name N --password P --account-name A [--json]
                                             a fresh install's first account and its administrator
  backup FILE                                write the database to FILE (gzip; one consistent snapshot,
                                             taken while a server runs if one does)
  restore FILE [--force]                     load a backup into the embedded database of CONFAB_DATA_DIR
                                             (--force: replace the data of a directory that is not empty)
  contacts import FILE --account ID [--json]  import a contacts CSV (progress on stderr)
  contacts export --account ID [--columns a,b] > out.csv
                                             write the account's contacts as CSV to stdout

Environment: PORT, HOST, DATABASE_URL, CONFAB_DATA_DIR, CONFAB_PG_PORT, FRONTEND_URL, LOG_LEVEL,
  CONFAB_S3_BUCKET, CONFAB_S3_ENDPOINT, CONFAB_S3_REGION, CONFAB_S3_ACCESS_KEY_ID, CONFAB_S3_SECRET_ACCESS_KEY, CONFAB_S3_PREFIX`;

export class UsageError extends Error {}
