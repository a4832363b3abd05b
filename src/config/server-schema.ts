/** The `server` section: the two listeners, what an unauthenticated caller may cost, the answer bound. */
import { z } from 'zod';

/**
 * What a caller may cost runbridge before it has proven who it is (docs/security.md, *Bounded
 * before authentication*): read timeouts, connection reuse, and caps on the requests and bytes not
 * yet authenticated, over which a request is answered 503 with Retry-After.
 */
export const serverLimitsSchema = z.strictObject({
  /** A connection that has not sent a request's complete headers within this long is closed. */
  headersTimeoutSeconds: z.number().positive().max(60).default(10),
  /** A request whose body has not arrived completely within this long is closed. */
  requestTimeoutSeconds: z.number().positive().max(300).default(30),
  /** A body that stalls (no byte) this long is abandoned and its connection closed. */
  bodyIdleTimeoutSeconds: z.number().positive().max(60).default(5),
  /** An idle keep-alive connection is closed after this long. */
  keepAliveTimeoutSeconds: z.number().positive().max(120).default(5),
  /** Requests one connection may carry before it is closed (0: no limit). */
  maxRequestsPerSocket: z.number().int().min(0).default(100),
  /** Requests whose sender is not authenticated yet, at once; beyond: 503. */
  maxUnauthenticatedRequests: z.number().int().positive().default(64),
  /** Body bytes (as declared, or the body limit when not declared) of those requests, at once; beyond: 503. */
  maxUnauthenticatedBytes: z.number().int().positive().default(16 * 2 ** 20),
  /** The share of one client address (behind a proxy that does not buffer bodies, every sender shares the proxy's). */
  maxUnauthenticatedRequestsPerClient: z.number().int().positive().default(16),
  maxUnauthenticatedBytesPerClient: z.number().int().positive().default(4 * 2 ** 20),
});

export const serverSchema = z.strictObject({
  /** The public listener: the webhook paths, /healthz and /readyz. */
  host: z.string().default('0.0.0.0'),
  port: z.number().int().min(0).max(65535).default(8080),
  /**
   * The internal listener: /status, /metrics, the HTTP completion endpoint and the API. Loopback by
   * default; in a cluster the chart binds every address and a NetworkPolicy admits the namespace.
   */
  internalHost: z.string().default('127.0.0.1'),
  internalPort: z.number().int().min(0).max(65535).default(8081),
  limits: serverLimitsSchema.default(serverLimitsSchema.parse({})),
  /** Webhook body limit in bytes; larger deliveries get 413. */
  bodyLimitBytes: z.number().int().positive().default(1024 * 1024),
  /** On SIGTERM: how long in-flight events may take before the process exits. */
  shutdownGraceSeconds: z.number().positive().default(25),
  /**
   * How long a webhook waits for its event's runs before answering 202 (stored, runs to follow).
   * Below every forge's own timeout (Gitea's default is 5 s; GitHub, GitLab and Bitbucket give up at 10 s).
   */
  answerWithinSeconds: z.number().min(0).max(9).default(3),
});

export type ServerConfig = z.infer<typeof serverSchema>;
export type ServerLimits = z.infer<typeof serverLimitsSchema>;
