/**
 * A local SMTP server that records what it accepts: Debian's aiosmtpd (python3-aiosmtpd) run by
 * /usr/bin/python3, printing one JSON line per accepted message (envelope, headers, text and html parts).
 *
 * Scripted refusals by recipient local part, so tests can drive each SMTP outcome:
 *   bounce-*  → 550 at RCPT, always (a permanent rejection)
 *   later-*   → 451 at RCPT the first time that address is tried, accepted afterwards (a transient one)
 * With `auth`, AUTH PLAIN/LOGIN is offered without TLS and wrong credentials get 535. Header values are
 * unfolded and stripped (a long List-Unsubscribe is folded on the wire).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './freePort';

export interface SinkMessage {
  mailFrom: string;
  rcptTos: string[];
  headers: Record<string, string>;
  text: string;
  html: string;
}

export interface SmtpSink {
  host: string;
  port: number;
  messages: SinkMessage[];
  /** Every RCPT the sink answered, in order, with its reply code. */
  rcpts: Array<{ address: string; code: number }>;
  /**
   * Resolves once `count` messages are recorded. The client hears "250 accepted" before this process reads
   * the sink's JSON line from its stdout, so a test that just sent must wait for the record, not assume it.
   */
  waitForMessages(count: number): Promise<SinkMessage[]>;
  stop(): Promise<void>;
}

const RECORD_WAIT_MS = 10_000;

const SCRIPT = String.raw`
import asyncio, json, sys
from email import message_from_bytes, policy
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

port, auth = int(sys.argv[1]), sys.argv[2]
tried = set()

def emit(record):
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()

class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0]
        code = 250
        if local.startswith("bounce-"):
            code = 550
        elif local.startswith("later-") and address not in tried:
            code = 451
        tried.add(address)
        emit({"rcpt": address, "code": code})
        if code != 250:
            return "550 5.1.1 mailbox unavailable" if code == 550 else "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        parts = {"text/plain": "", "text/html": ""}
        for part in message.walk():
            if part.get_content_type() in parts and not part.is_multipart():
                parts[part.get_content_type()] = part.get_content()
        emit({"message": {"mailFrom": envelope.mail_from, "rcptTos": envelope.rcpt_tos,
              "headers": {k: str(v).strip() for k, v in message.items()}, "text": parts["text/plain"], "html": parts["text/html"]}})
        return "250 Message accepted"

def authenticator(server, session, envelope, mechanism, auth_data):
    user, _, password = auth.partition(":")
    ok = auth_data.login.decode() == user and auth_data.password.decode() == password
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 235 / 535 itself

kwargs = {"authenticator": authenticator, "auth_require_tls": False} if auth else {}
controller = Controller(Handler(), hostname="127.0.0.1", port=port, **kwargs)
controller.start()
emit({"ready": port})
try:
    sys.stdin.read()
finally:
    controller.stop()
`;

const START_ATTEMPTS = 4;

/** Starts the sink on a free port; `auth` is "user:password" to require AUTH. */
export async function startSmtpSink(options: { auth?: string } = {}): Promise<SmtpSink> {
  let lastError: Error | undefined;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const port = await freePort();
    try {
      return await startOn(port, options.auth ?? '');
    } catch (error) {
      lastError = error as Error; // most likely the port was taken between the probe and the bind
    }
  }
  throw lastError ?? new Error('the SMTP sink did not start');
}

function startOn(port: number, auth: string): Promise<SmtpSink> {
  const child = spawn('/usr/bin/python3', ['-c', SCRIPT, String(port), auth], { stdio: ['pipe', 'pipe', 'pipe'] });
  const waiters: Array<() => boolean> = [];
  const sink: SmtpSink = {
    host: '127.0.0.1', port, messages: [], rcpts: [], stop: () => stopSink(child),
    waitForMessages: (count) => new Promise((resolve, reject) => {
      const check = (): boolean => {
        if (sink.messages.length < count) return false;
        clearTimeout(timer);
        resolve(sink.messages);
        return true;
      };
      const timer = setTimeout(() => reject(new Error(`the SMTP sink recorded ${sink.messages.length} of ${count} messages`)), RECORD_WAIT_MS);
      if (!check()) waiters.push(check);
    }),
  };
  return new Promise((resolve, reject) => {
    let buffered = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      let end: number;
      while ((end = buffered.indexOf('\n')) >= 0) {
        const record = JSON.parse(buffered.slice(0, end)) as { ready?: number; rcpt?: string; code?: number; message?: SinkMessage };
        buffered = buffered.slice(end + 1);
        if (record.ready !== undefined) resolve(sink);
        if (record.rcpt !== undefined) sink.rcpts.push({ address: record.rcpt, code: record.code ?? 0 });
        if (record.message) {
          sink.messages.push(record.message);
          for (const check of waiters.splice(0)) if (!check()) waiters.push(check);
        }
      }
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the SMTP sink exited (${code}) before it was ready:\n${stderr}`)));
  });
}

async function stopSink(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.stdin?.end(); // the script stops its controller when stdin closes
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
