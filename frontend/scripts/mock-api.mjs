#!/usr/bin/env node
// A small in-memory stand-in for the hrbridge server, written to openapi.yaml, for front-end work
// before (or without) the Go server: it serves dist/ and /api/v1 and a minimal sandbox control
// surface (/sandbox/{smarthr,jobkan}/_sandbox/reset|faults) with the shapes the e2e specs assume.
// It is NOT the contract: the Go server is. Usage:
//   node scripts/mock-api.mjs [--port 8090] [--size 120]
//   HRBRIDGE_E2E_URL=http://127.0.0.1:8090 HRBRIDGE_E2E_EMAIL=admin@example.com HRBRIDGE_E2E_PASSWORD=password npm run e2e
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { randomUUID, randomBytes } from 'node:crypto';
import { extname, join, dirname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = new Map();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const PORT = Number(args.get('port') ?? process.env.PORT ?? 8090);
let SIZE = Number(args.get('size') ?? 120);
const EMAIL = process.env.HRBRIDGE_E2E_EMAIL ?? 'admin@example.com';
const PASSWORD = process.env.HRBRIDGE_E2E_PASSWORD ?? 'password';
const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const TICK_MS = Number(args.get('tick') ?? 40);

const LABELS = { last_name: '姓', first_name: '名', hired_on: '入社年月日', employment_type: '雇用形態', phone: '電話番号', birth_date: '生年月日', employment_status: '在籍状況', email: 'メールアドレス' };
const LAST = ['山田', '佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '中村', '小林', '加藤'];
const FIRST = ['太郎', '花子', '一郎', '次郎', '美咲', '健太', '陽子', '翔', 'さくら', '大輔'];

function field(name, oldV, newV) {
  return { name, label: LABELS[name], old: oldV, new: newV, changed: oldV !== newV };
}

function seed(direction, size) {
  const items = [];
  for (let i = 1; i <= size; i++) {
    const n = String(i).padStart(5, '0');
    const last = LAST[i % LAST.length];
    const first = FIRST[(i * 7) % FIRST.length];
    const base = [
      ['last_name', last], ['first_name', first], ['hired_on', `20${String(10 + (i % 14)).padStart(2, '0')}-04-01`],
      ['employment_type', '正社員'], ['phone', `03-${String(1000 + i).slice(-4)}-${String(5000 + i).slice(-4)}`],
      ['birth_date', `19${70 + (i % 25)}-0${1 + (i % 9)}-1${i % 9}`],
    ];
    if (direction === 'jobkan_to_smarthr') base.push(['employment_status', '在職']);
    let status = 'unchanged';
    if (i % 10 === 3) status = 'new';
    else if (i % 4 === 1) status = 'changed';
    else if (i % 29 === 0) status = 'conflict';
    let fields;
    if (status === 'new') {
      fields = base.map(([k, v]) => field(k, null, v));
      if (direction === 'smarthr_to_jobkan') fields.push(field('email', null, `${n}@example.jp`));
    } else if (status === 'changed') {
      fields = base.map(([k, v], j) => field(k, j === 4 || (j === 0 && i % 3 === 0) ? (j === 4 ? '03-0000-0000' : '旧姓') : v, v));
    } else {
      fields = base.map(([k, v]) => field(k, v, v));
    }
    const reason = status === 'conflict' ? (i % 58 === 0 ? 'duplicate_employee_number' : 'unmapped_employment_type') : null;
    items.push({
      employee_number: n,
      display_name: `${last} ${first}`,
      status,
      fingerprint: randomBytes(6).toString('hex'),
      fields: status === 'conflict' ? [] : fields,
      reason,
      reason_detail: reason === 'unmapped_employment_type' ? '嘱託' : null,
    });
  }
  return items;
}

const state = {
  sessions: new Map(),
  diffs: { jobkan_to_smarthr: [], smarthr_to_jobkan: [] },
  generated: {},
  imports: [], // newest last
  results: new Map(),
  idem: new Map(),
  notifications: [],
  faults: { smarthr: {}, jobkan: {} },
  connection: null,
  secrets: { token: 'sandbox-token', secret: 'sandbox-secret' },
};

function reset(size = SIZE) {
  SIZE = size;
  for (const d of Object.keys(state.diffs)) {
    state.diffs[d] = seed(d, size);
    state.generated[d] = new Date().toISOString();
  }
  state.faults = { smarthr: {}, jobkan: {} };
}
reset();
state.connection = {
  configured: false,
  smarthr: { base_url: `http://127.0.0.1:${PORT}/sandbox/smarthr/api`, access_token_set: true },
  jobkan: { api_url: `http://127.0.0.1:${PORT}/sandbox/jobkan`, token_url: `http://127.0.0.1:${PORT}/sandbox/jobkan/oauth/token`, client_id: 'sandbox-client', client_secret_set: true },
  use_business_name: false,
  employment_types: [['正社員', 1], ['契約社員', 2], ['パート・アルバイト', 3], ['役員', 4], ['非常勤役員', 5], ['派遣社員', 6], ['業務委託', 7], ['その他', 8]].map(([name, jobkan_code]) => ({ name, jobkan_code })),
  updated_at: null,
};

const json = (res, status, body, headers = {}) => {
  res.writeHead(status, { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
};
const problem = (res, status, title, detail, errors) => json(res, status, { type: 'about:blank', title, status, detail, errors });

function cookies(req) {
  const out = {};
  for (const p of (req.headers.cookie ?? '').split(';')) {
    const i = p.indexOf('=');
    if (i > 0) out[p.slice(0, i).trim()] = decodeURIComponent(p.slice(i + 1).trim());
  }
  return out;
}

async function body(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const s = Buffer.concat(chunks).toString('utf8');
  return s ? JSON.parse(s) : undefined;
}

function targetOf(direction) {
  return direction === 'jobkan_to_smarthr' ? 'smarthr' : 'jobkan';
}

function runImport(imp) {
  const rows = state.results.get(imp.id);
  imp.status = 'running';
  imp.started_at = new Date().toISOString();
  const timer = setInterval(() => {
    if (imp.cancel) {
      for (const r of rows) if (r.status === 'pending') { r.status = 'skipped_stale'; imp.counts.skipped++; imp.done++; }
      finish(imp, 'canceled');
      clearInterval(timer);
      return;
    }
    const r = rows.find((x) => x.status === 'pending');
    if (!r) {
      clearInterval(timer);
      const failed = imp.counts.failed;
      finish(imp, failed === 0 ? 'succeeded' : failed === imp.total ? 'failed' : 'partially_failed');
      return;
    }
    const items = state.diffs[imp.direction];
    const item = items.find((x) => x.employee_number === r.employee_number);
    const fault = state.faults[targetOf(imp.direction)];
    const badCreds = targetOf(imp.direction) === 'smarthr' ? state.secrets.token !== 'sandbox-token' : state.secrets.secret !== 'sandbox-secret';
    if (badCreds) {
      r.status = 'failed';
      r.error = { code: 'unauthorized', message: '連携先が認証情報を受け付けませんでした（401）' };
      imp.counts.failed++;
    } else if (fault.error_rate && Math.random() < fault.error_rate) {
      r.status = 'failed';
      r.error = { code: 'provider_error', message: `${targetOf(imp.direction) === 'smarthr' ? 'SmartHR' : 'ジョブカン'}が500エラーを返しました（サンドボックスの障害設定）` };
      imp.counts.failed++;
    } else if (!item || item.fingerprint !== r.fingerprint) {
      r.status = 'skipped_stale';
      imp.counts.skipped++;
    } else if (item.status === 'new') {
      r.status = 'created'; r.action = 'create'; r.changed_fields = item.fields.map((f) => f.name);
      imp.counts.created++;
    } else if (item.status === 'changed') {
      r.status = 'updated'; r.action = 'update'; r.changed_fields = item.fields.filter((f) => f.changed).map((f) => f.name);
      imp.counts.updated++;
    } else {
      r.status = 'unchanged';
      imp.counts.unchanged++;
    }
    if (item && (r.status === 'created' || r.status === 'updated')) {
      item.status = 'unchanged';
      item.fields = item.fields.map((f) => ({ ...f, old: f.new, changed: false }));
      item.fingerprint = randomBytes(6).toString('hex');
    }
    r.finished_at = new Date().toISOString();
    imp.done++;
    emit(imp);
  }, TICK_MS);
}

function finish(imp, status) {
  imp.status = status;
  imp.finished_at = new Date().toISOString();
  emit(imp);
  const title = status === 'succeeded' ? '従業員情報の取り込みが完了しました' : '従業員情報の取り込みで失敗した従業員がいます';
  state.notifications.unshift({
    id: randomUUID(), kind: 'import_finished', title,
    body: `新規登録 ${imp.counts.created}件・更新 ${imp.counts.updated}件・失敗 ${imp.counts.failed}件`,
    import_id: imp.id, read_at: null, created_at: new Date().toISOString(),
  });
}

const listeners = new Map();
function emit(imp) {
  for (const res of listeners.get(imp.id) ?? []) {
    res.write(`event: progress\ndata: ${JSON.stringify(publicImport(imp))}\n\n`);
    if (['succeeded', 'failed', 'partially_failed', 'canceled'].includes(imp.status)) res.end();
  }
}
const publicImport = ({ cancel, ...rest }) => { void cancel; return rest; };

function createImport(direction, employees, startedBy, retryOf = null) {
  const imp = {
    id: randomUUID(), integration: 'jobkan', direction, status: 'queued', total: employees.length, done: 0,
    counts: { created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 }, started_by: startedBy,
    retry_of: retryOf, created_at: new Date().toISOString(), started_at: null, finished_at: null,
  };
  const items = state.diffs[direction];
  state.results.set(imp.id, employees.map((e) => {
    const it = items.find((x) => x.employee_number === e.employee_number);
    return { employee_number: e.employee_number, display_name: it?.display_name ?? '', action: it?.status === 'new' ? 'create' : it?.status === 'changed' ? 'update' : 'none', status: 'pending', changed_fields: [], error: null, fingerprint: e.fingerprint, finished_at: null };
  }));
  state.imports.push(imp);
  setTimeout(() => runImport(imp), 200);
  return imp;
}

function page(list, url, max = 200, def = 50) {
  const limit = Math.min(max, Number(url.searchParams.get('limit') ?? def));
  const start = Number(url.searchParams.get('cursor') ?? 0);
  const items = list.slice(start, start + limit);
  return { items, next_cursor: start + limit < list.length ? String(start + limit) : null };
}

async function api(req, res, url) {
  const path = url.pathname.slice('/api/v1'.length);
  const method = req.method;
  const c = cookies(req);
  if (path === '/auth/login' && method === 'POST') {
    const b = await body(req);
    if (!b?.email || !b?.password) return problem(res, 400, 'Bad Request', 'email and password are required');
    if (b.email !== EMAIL || b.password !== PASSWORD) return problem(res, 401, 'Unauthorized', 'wrong email or password');
    const sid = randomUUID();
    const csrf = randomBytes(16).toString('hex');
    state.sessions.set(sid, { email: b.email, csrf });
    return json(res, 200, { id: '00000000-0000-4000-8000-000000000001', email: b.email, role: 'admin', auth: 'session' }, {
      'Set-Cookie': [`hrbridge_session=${sid}; Path=/; HttpOnly; SameSite=Lax`, `hrbridge_csrf=${csrf}; Path=/; SameSite=Lax`],
    });
  }
  const session = state.sessions.get(c.hrbridge_session);
  if (!session) return problem(res, 401, 'Unauthorized', 'sign in first');
  if (!['GET', 'HEAD'].includes(method) && req.headers['x-csrf-token'] !== session.csrf) return problem(res, 403, 'Forbidden', 'CSRF token missing or wrong');
  const me = { id: '00000000-0000-4000-8000-000000000001', email: session.email, role: 'admin', auth: 'session' };
  let m;
  if (path === '/me') return json(res, 200, me);
  if (path === '/auth/logout' && method === 'POST') { state.sessions.delete(c.hrbridge_session); res.writeHead(204); return res.end(); }
  if (path === '/integrations/jobkan/diffs') {
    const direction = url.searchParams.get('direction');
    if (!state.diffs[direction]) return problem(res, 400, 'Bad Request', 'direction', [{ location: 'query.direction', message: 'must be jobkan_to_smarthr or smarthr_to_jobkan' }]);
    if (url.searchParams.get('refresh') === 'true') state.generated[direction] = new Date().toISOString();
    const all = state.diffs[direction];
    const statuses = url.searchParams.getAll('status');
    const q = (url.searchParams.get('q') ?? '').toLowerCase();
    const list = all.filter((i) => (!statuses.length || statuses.includes(i.status)) && (!q || i.employee_number.includes(q) || i.display_name.toLowerCase().includes(q)));
    const count = (s) => all.filter((i) => i.status === s).length;
    const p = page(list, url, 500, 100);
    return json(res, 200, { direction, generated_at: state.generated[direction], summary: { unchanged: count('unchanged'), changed: count('changed'), new: count('new'), conflict: count('conflict'), total: all.length }, ...p });
  }
  if (path === '/imports' && method === 'POST') {
    const key = req.headers['idempotency-key'];
    if (!key || key.length < 8) return problem(res, 400, 'Bad Request', 'Idempotency-Key header is required');
    if (state.idem.has(key)) return json(res, 202, publicImport(state.idem.get(key)));
    const b = await body(req);
    if (!b?.employees?.length) return problem(res, 422, 'Unprocessable', 'no employees', [{ location: 'body.employees', message: 'at least one' }]);
    const imp = createImport(b.direction, b.employees, session.email);
    state.idem.set(key, imp);
    return json(res, 202, publicImport(imp));
  }
  if (path === '/imports' && method === 'GET') {
    const d = url.searchParams.get('direction');
    const s = url.searchParams.get('status');
    const list = [...state.imports].reverse().filter((i) => (!d || i.direction === d) && (!s || i.status === s)).map(publicImport);
    return json(res, 200, page(list, url));
  }
  if ((m = path.match(/^\/imports\/([^/]+)(\/\w+)?$/))) {
    const imp = state.imports.find((i) => i.id === m[1]);
    if (!imp) return problem(res, 404, 'Not Found', 'no such import');
    const sub = m[2];
    if (!sub) return json(res, 200, publicImport(imp));
    if (sub === '/events') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
      res.write(`event: progress\ndata: ${JSON.stringify(publicImport(imp))}\n\n`);
      if (['succeeded', 'failed', 'partially_failed', 'canceled'].includes(imp.status)) return res.end();
      const set = listeners.get(imp.id) ?? new Set();
      set.add(res);
      listeners.set(imp.id, set);
      req.on('close', () => set.delete(res));
      return;
    }
    if (sub === '/results') {
      const rows = state.results.get(imp.id).map(({ fingerprint, ...r }) => { void fingerprint; return r; });
      if ((req.headers.accept ?? '').includes('text/csv')) {
        res.writeHead(200, { 'Content-Type': 'text/csv; charset=utf-8' });
        return res.end('employee_number,display_name,action,status,error\n' + rows.map((r) => [r.employee_number, r.display_name, r.action, r.status, r.error?.message ?? ''].join(',')).join('\n') + '\n');
      }
      const st = url.searchParams.getAll('status');
      return json(res, 200, page(rows.filter((r) => !st.length || st.includes(r.status)), url));
    }
    if (sub === '/retry' && method === 'POST') {
      const failed = state.results.get(imp.id).filter((r) => r.status === 'failed');
      if (!failed.length) return problem(res, 409, 'Conflict', 'nothing failed');
      const items = state.diffs[imp.direction];
      const next = createImport(imp.direction, failed.map((r) => ({ employee_number: r.employee_number, fingerprint: items.find((x) => x.employee_number === r.employee_number)?.fingerprint ?? r.fingerprint })), session.email, imp.id);
      return json(res, 202, publicImport(next));
    }
    if (sub === '/cancel' && method === 'POST') { imp.cancel = true; return json(res, 202, publicImport(imp)); }
  }
  if (path === '/notifications') {
    const unreadOnly = url.searchParams.get('unread') === 'true';
    const list = state.notifications.filter((n) => !unreadOnly || !n.read_at);
    return json(res, 200, { ...page(list, url), unread: state.notifications.filter((n) => !n.read_at).length });
  }
  if ((m = path.match(/^\/notifications\/([^/]+)\/read$/)) && method === 'POST') {
    const n = state.notifications.find((x) => x.id === m[1]);
    if (!n) return problem(res, 404, 'Not Found', 'no such notification');
    n.read_at ??= new Date().toISOString();
    return json(res, 200, n);
  }
  if (path === '/integrations/jobkan/connection' && method === 'GET') return json(res, 200, state.connection);
  if (path === '/integrations/jobkan/connection' && method === 'PUT') {
    const b = await body(req);
    const errors = [];
    if (!b?.smarthr?.base_url) errors.push({ location: 'body.smarthr.base_url', message: '入力してください' });
    (b?.employment_types ?? []).forEach((e, i) => { if (!Number.isInteger(e.jobkan_code) || e.jobkan_code < 1) errors.push({ location: `body.employment_types[${i}].jobkan_code`, message: '1以上の整数を入力してください' }); });
    if (errors.length) return problem(res, 422, 'Unprocessable Content', '入力内容に誤りがあります', errors);
    const c0 = state.connection;
    if (b.smarthr.access_token) state.secrets.token = b.smarthr.access_token;
    if (b.jobkan.client_secret) state.secrets.secret = b.jobkan.client_secret;
    state.connection = {
      configured: true,
      smarthr: { base_url: b.smarthr.base_url, access_token_set: c0.smarthr.access_token_set || !!b.smarthr.access_token },
      jobkan: { api_url: b.jobkan.api_url, token_url: b.jobkan.token_url, client_id: b.jobkan.client_id, client_secret_set: c0.jobkan.client_secret_set || !!b.jobkan.client_secret },
      use_business_name: !!b.use_business_name,
      employment_types: b.employment_types,
      updated_at: new Date().toISOString(),
    };
    return json(res, 200, state.connection);
  }
  if (path === '/integrations/jobkan/connection/test' && method === 'POST') {
    return json(res, 200, {
      smarthr: { ok: true, message: 'SmartHRに接続できました', employees: SIZE },
      jobkan: { ok: true, message: 'ジョブカンに接続できました', employees: SIZE },
    });
  }
  return problem(res, 404, 'Not Found', `no route ${method} ${url.pathname}`);
}

async function sandbox(req, res, url) {
  const m = url.pathname.match(/^\/sandbox\/(smarthr|jobkan)\/_sandbox\/(reset|faults|writes)$/);
  if (!m) return problem(res, 404, 'Not Found', 'not modelled by the mock');
  const b = req.method === 'GET' ? {} : (await body(req)) ?? {};
  if (m[2] === 'reset') { reset(b.size ?? SIZE); return json(res, 200, { ok: true, size: SIZE }); }
  if (m[2] === 'faults') { if (req.method === 'PUT') state.faults[m[1]] = { ...state.faults[m[1]], ...b }; return json(res, 200, state.faults[m[1]]); }
  return json(res, 200, {});
}

const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' };
async function file(res, url) {
  let p = normalize(join(DIST, decodeURIComponent(url.pathname)));
  if (!p.startsWith(DIST)) return problem(res, 400, 'Bad Request', 'bad path');
  try {
    if (!(await stat(p)).isFile()) throw new Error('dir');
  } catch {
    p = join(DIST, 'index.html');
  }
  const data = await readFile(p);
  res.writeHead(200, { 'Content-Type': MIME[extname(p)] ?? 'application/octet-stream' });
  res.end(data);
}

createServer(async (req, res) => {
  const url = new URL(req.url, `http://${req.headers.host}`);
  try {
    if (url.pathname.startsWith('/api/')) {
      if (!url.pathname.startsWith('/api/v1/')) return problem(res, 404, 'Not Found', 'no such API');
      return await api(req, res, url);
    }
    if (url.pathname.startsWith('/sandbox/')) return await sandbox(req, res, url);
    return await file(res, url);
  } catch (e) {
    if (res.headersSent) res.end();
    else problem(res, 500, 'Internal Server Error', String(e));
  }
}).listen(PORT, '127.0.0.1', () => console.log(`mock hrbridge on http://127.0.0.1:${PORT} (${EMAIL} / ${PASSWORD}, ${SIZE} employees per direction)`));
