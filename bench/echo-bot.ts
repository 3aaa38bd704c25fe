// Baseline for `npm run bench`: a bare teams-ai echo bot on the same TeamsAdapter, the same auth mode (no app id,
// anonymous on loopback) and the same HTTP framework (restify + bodyParser) as the real bot, without commands,
// store, identity or Graph. What it costs is the floor the real bot is compared against.
import { MemoryStorage } from 'botbuilder';
import { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import restify from 'restify';

const adapter = new TeamsAdapter({ MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: 'MultiTenant' });
const app = new Application<TurnState>({
  adapter,
  botAppId: '',
  storage: new MemoryStorage(),
  removeRecipientMention: true,
  startTypingTimer: false,
  longRunningMessages: false,
});
app.activity('message', async (turn) => {
  await turn.sendActivity(`echo: ${turn.activity.text ?? ''}`);
});

const server = restify.createServer({ name: 'bench-echo-bot', handleUncaughtExceptions: false });
server.use(restify.plugins.bodyParser({ mapParams: false, mapFiles: false }));
server.get('/readyz', (_req, res, next) => {
  res.send(200, { status: 'ready' });
  return next();
});
server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, (turn) => app.run(turn).then(() => undefined));
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  console.log(JSON.stringify({ msg: 'echo listening', url: `http://127.0.0.1:${port}` }));
});
const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
