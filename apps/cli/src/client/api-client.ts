// The CLI's HTTP client: every call carries the token; a refusal becomes a CliError with the
// API's own message (Nova's fault body) and the exit code its status means.
import { CliError, ExitCode, exitCodeForStatus } from '../exit-codes.js';

export interface ApiTarget {
  readonly url: string;
  readonly token: string;
}

export interface ApiResponse<T> {
  readonly status: number;
  readonly body: T;
  readonly requestId: string | null;
}

function faultMessage(body: unknown): string | null {
  if (!body || typeof body !== 'object') return null;
  const inner = Object.values(body as Record<string, unknown>)[0];
  if (inner && typeof inner === 'object' && typeof (inner as { message?: unknown }).message === 'string') return (inner as { message: string }).message;
  return null;
}

export class ApiClient {
  constructor(
    readonly target: ApiTarget,
    private readonly timeoutMs = 60_000,
  ) {}

  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {
    const url = `${this.target.url.replace(/\/+$/, '')}${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { 'x-auth-token': this.target.token, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
      throw new CliError(`cannot reach the novakit API at ${this.target.url} (${cause}). Is \`novakit up\` running?`, ExitCode.UNREACHABLE);
    }
    const text = await res.text();
    let parsed: unknown = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    const requestId = res.headers.get('x-openstack-request-id');
    if (!res.ok) {
      const message = faultMessage(parsed) ?? `HTTP ${res.status}`;
      throw new ApiError(`${message}${res.status >= 500 && requestId && !message.includes(requestId) ? ` (request ${requestId})` : ''}`, res.status, parsed);
    }
    return { status: res.status, body: parsed as T, requestId };
  }

  async get<T>(path: string): Promise<T> {
    return (await this.request<T>('GET', path)).body;
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return (await this.request<T>('POST', path, body)).body;
  }

  async put<T>(path: string, body: unknown): Promise<T> {
    return (await this.request<T>('PUT', path, body)).body;
  }

  async delete(path: string): Promise<void> {
    await this.request('DELETE', path);
  }
}

/** The API refused the request: the status says why, the message is the API's. */
export class ApiError extends CliError {
  constructor(
    message: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(message, exitCodeForStatus(status));
    this.name = 'ApiError';
  }
}
