import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/**
 * Migrations in code (so they ship inside the build) and in the portable subset of Kysely's schema builder, so
 * they run unchanged on SQLite and PostgreSQL. Never edit a released migration: add the next one.
 */
const migrations: Record<string, Migration> = {
  '001_core': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('bot_state')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('etag', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('pending_operations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_aad_id', 'text', (c) => c.notNull())
        .addColumn('conversation_id', 'text', (c) => c.notNull())
        .addColumn('conversation_ref', 'text', (c) => c.notNull())
        .addColumn('command_text', 'text', (c) => c.notNull())
        .addColumn('tier', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('pending_operations_user')
        .on('pending_operations')
        .columns(['user_aad_id', 'status'])
        .execute();
      await db.schema
        .createTable('approvals')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('requester_aad_id', 'text', (c) => c.notNull())
        .addColumn('requester_upn', 'text', (c) => c.notNull())
        .addColumn('command_name', 'text', (c) => c.notNull())
        .addColumn('command_text', 'text', (c) => c.notNull())
        .addColumn('resolved_target', 'text', (c) => c.notNull())
        .addColumn('justification', 'text', (c) => c.notNull())
        .addColumn('ticket', 'text')
        .addColumn('conversation_ref', 'text', (c) => c.notNull())
        .addColumn('activity_id', 'text')
        .addColumn('decided_by_aad_id', 'text')
        .addColumn('decided_by_upn', 'text')
        .addColumn('decision_note', 'text')
        .addColumn('outcome', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('approvals_status').on('approvals').columns(['status', 'expires_at']).execute();
      await db.schema
        .createTable('audit_log')
        .addColumn('seq', 'bigint', (c) => c.primaryKey())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('actor_aad_id', 'text', (c) => c.notNull())
        .addColumn('actor_upn', 'text')
        .addColumn('conversation_id', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('command', 'text')
        .addColumn('args', 'text')
        .addColumn('tier', 'text')
        .addColumn('mfa', 'text')
        .addColumn('approval_id', 'text')
        .addColumn('graph_request_ids', 'text')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('completed_at', 'bigint')
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('token_cache')
        .addColumn('partition_key', 'text', (c) => c.primaryKey())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('auth_states')
        .addColumn('state', 'text', (c) => c.primaryKey())
        .addColumn('user_aad_id', 'text', (c) => c.notNull())
        .addColumn('teams_user_id', 'text', (c) => c.notNull())
        .addColumn('conversation_id', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('used_at', 'bigint')
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['auth_states', 'token_cache', 'audit_log', 'approvals', 'pending_operations', 'bot_state']) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  },
  '002_list_cursors': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('list_cursors')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_aad_id', 'text', (c) => c.notNull())
        .addColumn('command_name', 'text', (c) => c.notNull())
        .addColumn('next_link', 'text', (c) => c.notNull())
        .addColumn('headers', 'text', (c) => c.notNull())
        .addColumn('page', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('list_cursors').ifExists().execute();
    },
  },
  '003_audit_ref': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('audit_log').addColumn('ref_id', 'text').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('audit_log').dropColumn('ref_id').execute();
    },
  },
  '004_approval_execution': {
    async up(db: Kysely<unknown>) {
      // What the approved command runs with, and who sees the card's live views.
      await db.schema.alterTable('approvals').addColumn('args', 'text').execute();
      await db.schema.alterTable('approvals').addColumn('requester_teams_id', 'text').execute();
      await db.schema.alterTable('approvals').addColumn('tenant_id', 'text').execute();
      await db.schema.alterTable('approvals').addColumn('viewer_ids', 'text').execute();
      await db.schema.alterTable('approvals').addColumn('graph_request_ids', 'text').execute();
    },
    async down(db: Kysely<unknown>) {
      for (const column of ['args', 'requester_teams_id', 'tenant_id', 'viewer_ids', 'graph_request_ids']) {
        await db.schema.alterTable('approvals').dropColumn(column).execute();
      }
    },
  },
  '005_schedules': {
    async up(db: Kysely<unknown>) {
      // Scheduled read-only reports (bot/schedule/): claimed tick by tick with a conditional update on next_run_at.
      await db.schema
        .createTable('schedules')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('conversation_id', 'text', (c) => c.notNull())
        .addColumn('conversation_ref', 'text', (c) => c.notNull())
        .addColumn('command_name', 'text', (c) => c.notNull())
        .addColumn('command_text', 'text', (c) => c.notNull())
        .addColumn('cron', 'text', (c) => c.notNull())
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('created_by_aad_id', 'text', (c) => c.notNull())
        .addColumn('created_by_upn', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('next_run_at', 'bigint', (c) => c.notNull())
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', 'bigint')
        .addColumn('last_run_at', 'bigint')
        .addColumn('last_outcome', 'text')
        .addColumn('last_detail', 'text')
        .addColumn('run_count', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('schedules_due').on('schedules').columns(['next_run_at']).execute();
      await db.schema.createIndex('schedules_conversation').on('schedules').columns(['conversation_id']).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('schedules').ifExists().execute();
    },
  },
  '006_rate_limits': {
    async up(db: Kysely<unknown>) {
      // Fixed-window counters shared by all instances (bot/limits/): one atomic upsert per hit.
      await db.schema
        .createTable('rate_limits')
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('window_start', 'bigint', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('rate_limits_pk', ['key', 'window_start'])
        .execute();
      await db.schema.createIndex('rate_limits_expiry').on('rate_limits').columns(['expires_at']).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('rate_limits').ifExists().execute();
    },
  },
  '007_file_offers': {
    async up(db: Kysely<unknown>) {
      // Files offered with a Teams file consent card (bot/teams/file-delivery.ts), kept until accepted or expired.
      // The bytes are base64 text: one portable column type for SQLite and PostgreSQL.
      await db.schema
        .createTable('file_offers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('conversation_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('content', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('file_offers_expiry').on('file_offers').columns(['expires_at']).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('file_offers').ifExists().execute();
    },
  },
  '008_report_snapshots': {
    async up(db: Kysely<unknown>) {
      // The last run of each watch (bot/commands/reports/watch-*.ts): counts and the ids behind the risky buckets.
      await db.schema
        .createTable('report_snapshots')
        .addColumn('schedule_id', 'text', (c) => c.primaryKey())
        .addColumn('report', 'text', (c) => c.notNull())
        .addColumn('snapshot', 'text', (c) => c.notNull())
        .addColumn('taken_at', 'bigint', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('report_snapshots').ifExists().execute();
    },
  },
  '009_bulk_jobs': {
    async up(db: Kysely<unknown>) {
      // Durable bulk jobs (bot/jobs/): one row per job, leased by one instance at a time; one row per chunk (its
      // state is the resume point); one row per target user (before / after / outcome, written as chunks commit).
      await db.schema
        .createTable('bulk_jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('requester_aad_id', 'text', (c) => c.notNull())
        .addColumn('requester_upn', 'text', (c) => c.notNull())
        .addColumn('requester_teams_id', 'text', (c) => c.notNull())
        .addColumn('conversation', 'text', (c) => c.notNull())
        .addColumn('verb', 'text', (c) => c.notNull())
        .addColumn('params', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('total', 'integer', (c) => c.notNull())
        .addColumn('chunk_count', 'integer', (c) => c.notNull())
        .addColumn('preview', 'text')
        .addColumn('needs_approval', 'integer', (c) => c.notNull())
        .addColumn('approved_by_upn', 'text')
        .addColumn('mfa', 'text')
        .addColumn('undo_of', 'text')
        .addColumn('progress_message', 'text')
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', 'bigint')
        .addColumn('throttle', 'text')
        .addColumn('detail', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('started_at', 'bigint')
        .addColumn('finished_at', 'bigint')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('bulk_jobs_status').on('bulk_jobs').columns(['status', 'lease_until']).execute();
      await db.schema.createIndex('bulk_jobs_tenant').on('bulk_jobs').columns(['tenant_id', 'created_at']).execute();
      await db.schema
        .createTable('bulk_job_chunks')
        .addColumn('job_id', 'text', (c) => c.notNull())
        .addColumn('chunk_no', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('request_ids', 'text')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('bulk_job_chunks_pk', ['job_id', 'chunk_no'])
        .execute();
      await db.schema
        .createIndex('bulk_job_chunks_status')
        .on('bulk_job_chunks')
        .columns(['job_id', 'status', 'chunk_no'])
        .execute();
      await db.schema
        .createTable('bulk_job_items')
        .addColumn('job_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('chunk_no', 'integer', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('upn', 'text', (c) => c.notNull())
        .addColumn('want', 'text')
        .addColumn('before', 'text')
        .addColumn('after', 'text')
        .addColumn('outcome', 'text')
        .addColumn('graph_code', 'text')
        .addColumn('request_id', 'text')
        .addPrimaryKeyConstraint('bulk_job_items_pk', ['job_id', 'seq'])
        .execute();
      await db.schema
        .createIndex('bulk_job_items_chunk')
        .on('bulk_job_items')
        .columns(['job_id', 'chunk_no'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['bulk_job_items', 'bulk_job_chunks', 'bulk_jobs'])
        await db.schema.dropTable(table).ifExists().execute();
    },
  },
};

class InCodeMigrations implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new InCodeMigrations() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** A cheap round trip that proves the database answers (for /readyz). */
export async function ping(db: Kysely<unknown>): Promise<void> {
  await sql`select 1`.execute(db);
}
