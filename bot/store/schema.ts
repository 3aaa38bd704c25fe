/**
 * Tables, typed for Kysely. Portable types only (text, integer/bigint, no autoincrement) so the same queries run
 * on SQLite and PostgreSQL. Times are epoch milliseconds; JSON is stored as text.
 */
export interface Database {
  /** botbuilder Storage items (teams-ai turn state, SSO exchange markers), with an eTag per item. */
  bot_state: { key: string; etag: string; data: string; updated_at: number };
  /** A command parked until its requester signs in or steps up; resumes once (status moves off `waiting`). */
  pending_operations: {
    id: string;
    user_aad_id: string;
    conversation_id: string;
    conversation_ref: string;
    command_text: string;
    tier: string;
    status: string;
    created_at: number;
    expires_at: number;
    updated_at: number;
  };
  /** Two-person-rule requests; `version` is bumped by every transition (conditional updates). */
  approvals: {
    id: string;
    version: number;
    status: string;
    requester_aad_id: string;
    requester_upn: string;
    command_name: string;
    command_text: string;
    resolved_target: string;
    justification: string;
    ticket: string | null;
    conversation_ref: string;
    activity_id: string | null;
    decided_by_aad_id: string | null;
    decided_by_upn: string | null;
    decision_note: string | null;
    outcome: string | null;
    created_at: number;
    expires_at: number;
    updated_at: number;
    /** The bound arguments the approved command runs with (JSON). */
    args: string | null;
    requester_teams_id: string | null;
    tenant_id: string | null;
    /** Teams user ids that get their own live view of the card (refresh.userIds, ≤ 60). */
    viewer_ids: string | null;
    graph_request_ids: string | null;
  };
  /**
   * Append-only, hash-chained audit; `seq` is assigned by the writer and unique, so two writers cannot fork the chain.
   */
  audit_log: {
    seq: number;
    id: string;
    at: number;
    actor_aad_id: string;
    actor_upn: string | null;
    conversation_id: string | null;
    action: string;
    command: string | null;
    args: string | null;
    tier: string | null;
    mfa: string | null;
    approval_id: string | null;
    graph_request_ids: string | null;
    outcome: string;
    completed_at: number | null;
    /** The record this one completes (an action's end record names its start record). */
    ref_id: string | null;
    prev_hash: string;
    hash: string;
  };
  /** MSAL token cache partitions, encrypted at rest (AES-256-GCM) by the identity module. */
  token_cache: { partition_key: string; data: string; updated_at: number };
  /** Single-use sign-in states (sign-in link / step-up), bound to the Teams user and conversation. */
  auth_states: {
    state: string;
    user_aad_id: string;
    teams_user_id: string;
    conversation_id: string;
    purpose: string;
    payload: string;
    created_at: number;
    expires_at: number;
    used_at: number | null;
  };
  /** Where a listed result continues: the admin's "More" button carries only the id, never the Graph URL. */
  list_cursors: {
    id: string;
    user_aad_id: string;
    command_name: string;
    next_link: string;
    headers: string;
    page: number;
    created_at: number;
    expires_at: number;
  };
  /**
   * Scheduled read-only reports, run under the reports app identity. `next_run_at` is the claim token: an instance
   * runs a tick only if its conditional update from the value it read wins; lease_* say who runs it and until when.
   */
  schedules: {
    id: string;
    tenant_id: string;
    conversation_id: string;
    /** Where the report is posted (botbuilder ConversationReference, JSON). */
    conversation_ref: string;
    command_name: string;
    command_text: string;
    /** Five-field cron pattern (daily and weekly are stored as cron too), evaluated in `time_zone`. */
    cron: string;
    time_zone: string;
    /** What the admin asked for, e.g. `daily 08:00 (Europe/Paris)`. */
    description: string;
    created_by_aad_id: string;
    created_by_upn: string;
    created_at: number;
    next_run_at: number;
    lease_owner: string | null;
    lease_until: number | null;
    last_run_at: number | null;
    /** running | succeeded | failed */
    last_outcome: string | null;
    last_detail: string | null;
    run_count: number;
  };
  /** Rate-limit counters (bot/limits/): hits of `key` in the fixed window starting at `window_start`. */
  rate_limits: { key: string; window_start: number; count: number; expires_at: number };
  /** The last snapshot of each watch (a schedule running `watch check`), to tell what changed since. */
  report_snapshots: { schedule_id: string; report: string; snapshot: string; taken_at: number };
  /** Files offered in a 1:1 chat (bot/teams/file-delivery.ts) until the admin accepts, declines or they expire. */
  file_offers: {
    id: string;
    conversation_id: string;
    name: string;
    content_type: string;
    size: number;
    /** The file's bytes, base64. */
    content: string;
    created_at: number;
    expires_at: number;
  };
  /**
   * Bulk jobs (bot/jobs/). `version` is bumped by every status change (conditional updates); lease_* name the one
   * instance running it. JSON as text: conversation (ConversationAddress), params, target, preview, mfa, throttle.
   */
  bulk_jobs: {
    id: string;
    tenant_id: string;
    requester_aad_id: string;
    requester_upn: string;
    requester_teams_id: string;
    conversation: string;
    verb: string;
    params: string;
    target: string;
    /** resolving | preview | awaiting-approval | running | paused | cancelled | done | failed */
    status: string;
    version: number;
    total: number;
    chunk_count: number;
    preview: string | null;
    needs_approval: number;
    approved_by_upn: string | null;
    mfa: string | null;
    undo_of: string | null;
    /** The progress card (PostedMessage, JSON), updated in place. */
    progress_message: string | null;
    lease_owner: string | null;
    lease_until: number | null;
    throttle: string | null;
    detail: string | null;
    created_at: number;
    started_at: number | null;
    finished_at: number | null;
    updated_at: number;
  };
  /** pending | reading | writing | done: a chunk not `done` is where a resumed job continues. */
  bulk_job_chunks: {
    job_id: string;
    chunk_no: number;
    status: string;
    attempts: number;
    request_ids: string | null;
    updated_at: number;
  };
  /** One target user; before/after/outcome written with its chunk's commit. */
  bulk_job_items: {
    job_id: string;
    seq: number;
    chunk_no: number;
    user_id: string;
    upn: string;
    /** The state this user should reach when it differs per user (undo: their recorded before-state). */
    want: string | null;
    before: string | null;
    after: string | null;
    /** changed | skipped | failed (null until its chunk commits) */
    outcome: string | null;
    graph_code: string | null;
    request_id: string | null;
  };
}
