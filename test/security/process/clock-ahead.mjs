// Preloaded into a bot child process (NODE_OPTIONS=--import …) by tests that need it to live later than the process
// before it: its Date.now() runs BOT_TEST_CLOCK_AHEAD_MS ahead, so work started by a killed predecessor is already
// older than ABANDONED_AFTER_SECONDS (at least 60 s) without the test waiting. Never loaded by the bot itself.
const ahead = Number(process.env.BOT_TEST_CLOCK_AHEAD_MS ?? '0');
const realNow = Date.now.bind(Date);
Date.now = () => realNow() + ahead;
