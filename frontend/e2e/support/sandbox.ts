import type { APIRequestContext } from '@playwright/test';

/*
 * The sandbox control surface (DESIGN.md §4, "Simulators"): `<host>/sandbox/{smarthr,jobkan}/_sandbox/…`.
 * openapi.yaml does not describe it, so every path and field the specs rely on is here, in one place:
 *   POST /sandbox/{provider}/_sandbox/reset   {"seed"?: <int>, "size"?: <int>}  → back to the seeded scenario
 *   PUT  /sandbox/{provider}/_sandbox/faults  {"error_rate": 0..1, "rate429": 0..1, "latency_ms": <int>, …}
 *                                             "reset_rate": 0..1 — connections closed unanswered
 *                                             "reject_writes": [<社員番号>…] — writes refused with the provider's 400
 *                                             (fields left out keep their value; see server/sandbox/control.go)
 * Correct them here if the Go sandbox changes.
 */
export type Provider = 'smarthr' | 'jobkan';
export const PROVIDERS: Provider[] = ['smarthr', 'jobkan'];
export const SEED = Number(process.env.HRBRIDGE_E2E_SEED ?? 1);
export const SIZE = process.env.HRBRIDGE_E2E_SANDBOX_SIZE ? Number(process.env.HRBRIDGE_E2E_SANDBOX_SIZE) : undefined;

async function send(request: APIRequestContext, method: 'POST' | 'PUT', path: string, data: unknown) {
  // X-Sandbox-Control: the control surface refuses writes without it (a form cannot send it).
  const res = await request.fetch(path, { method, data, headers: { 'Content-Type': 'application/json', 'X-Sandbox-Control': '1' } });
  if (!res.ok()) throw new Error(`${path}: HTTP ${res.status()} ${await res.text()}`);
}

export async function resetSandbox(request: APIRequestContext, size = SIZE) {
  for (const p of PROVIDERS) await send(request, 'POST', `/sandbox/${p}/_sandbox/reset`, size ? { seed: SEED, size } : { seed: SEED });
}

export async function setFaults(request: APIRequestContext, provider: Provider, faults: Record<string, number | string[]>) {
  await send(request, 'PUT', `/sandbox/${provider}/_sandbox/faults`, faults);
}

/** Every write to this provider fails with a 5xx (after the server's own retries give up). */
export async function failWrites(request: APIRequestContext, provider: Provider) {
  await send(request, 'PUT', `/sandbox/${provider}/_sandbox/faults`, { error_rate: 1 });
}

export async function clearFaults(request: APIRequestContext) {
  // only the injected faults: the simulators' own rate limits stay as configured
  for (const p of PROVIDERS) await send(request, 'PUT', `/sandbox/${p}/_sandbox/faults`, { error_rate: 0, rate429: 0, latency_ms: 0, reject_writes: [] });
}

/**
 * The planted real-world cases of the loaded scenario (GET /sandbox/jobkan/_sandbox/planted; see
 * docs/providers.md, "The messy default"): the 社員番号 (as the diff shows them) whose import in
 * `direction` is expected to fail, or that carry a warning, so that a spec picking "any new employee"
 * does not pick one of them by chance.
 */
export async function troublesomeNumbers(request: APIRequestContext, direction: string): Promise<Set<string>> {
  const res = await request.get('/sandbox/jobkan/_sandbox/planted');
  if (!res.ok()) throw new Error(`planted: HTTP ${res.status()} ${await res.text()}`);
  const body = (await res.json()) as { cases: Array<Record<string, unknown> & { number: string }> };
  const out = new Set<string>();
  for (const c of body.cases) {
    const o = c[direction] as { warning?: string; import_error?: string } | undefined;
    if (o && (o.warning || o.import_error)) out.add(c.number);
  }
  return out;
}
