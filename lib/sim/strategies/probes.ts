import type { IntOrString, V1Container, V1Probe } from "@kubernetes/client-node";
import { field, type FieldError } from "./validation";

/** SetDefaults_Probe, SetDefaults_HTTPGetAction and the generated default of grpc.service. */
function defaultProbe(probe: V1Probe): void {
  probe.timeoutSeconds ||= 1;
  probe.periodSeconds ||= 10;
  probe.successThreshold ||= 1;
  probe.failureThreshold ||= 3;
  if (probe.httpGet) {
    probe.httpGet.path ||= "/";
    probe.httpGet.scheme ||= "HTTP";
  }
  if (probe.grpc) probe.grpc.service ??= "";
}

export function defaultProbes(c: V1Container): void {
  for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) if (probe) defaultProbe(probe);
}

/** validation.IsValidPortName. */
function portNameErrors(name: string): string[] {
  const out: string[] = [];
  if (name.length < 1 || name.length > 15) out.push("must be no more than 15 characters");
  if (!/^[-a-z0-9]*$/.test(name)) out.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (!/[a-z]/.test(name)) out.push("must contain at least one letter (a-z)");
  if (name.includes("--")) out.push("must not contain consecutive hyphens");
  if (name.startsWith("-") || name.endsWith("-")) out.push("must not begin or end with a hyphen");
  return out;
}

/** ValidatePortNumOrName. */
function portErrors(port: IntOrString | undefined, path: string): FieldError[] {
  if (typeof port === "number") return port >= 1 && port <= 65535 ? [] : [field.invalid(path, port, "must be between 1 and 65535, inclusive")];
  return portNameErrors(port ?? "").map((msg) => field.invalid(path, port ?? "", msg));
}

const HANDLERS = ["exec", "httpGet", "tcpSocket", "grpc"] as const;

/** validateHandler: exactly one handler, each valid. */
function handlerErrors(probe: V1Probe, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let handlers = 0;
  for (const name of HANDLERS) {
    if (!probe[name]) continue;
    if (handlers++ > 0) {
      errs.push(field.forbidden(`${path}.${name}`, "may not specify more than 1 handler type"));
      continue;
    }
    if (probe.exec && !probe.exec.command?.length) errs.push(field.required(`${path}.exec.command`));
    if (probe.httpGet) {
      if (!probe.httpGet.path) errs.push(field.required(`${path}.httpGet.path`));
      errs.push(...portErrors(probe.httpGet.port, `${path}.httpGet.port`));
      if (!["HTTP", "HTTPS"].includes(probe.httpGet.scheme ?? "")) errs.push(field.notSupported(`${path}.httpGet.scheme`, probe.httpGet.scheme ?? "", ["HTTP", "HTTPS"]));
    }
    if (probe.tcpSocket) errs.push(...portErrors(probe.tcpSocket.port, `${path}.tcpSocket.port`));
    if (probe.grpc) errs.push(...portErrors(probe.grpc.port, `${path}.grpc.port`));
  }
  if (handlers === 0) errs.push(field.required(path, "must specify a handler type"));
  return errs;
}

/** validateProbe and what validateLivenessProbe, validateReadinessProbe, validateStartupProbe add. */
function probeErrors(probe: V1Probe, path: string, kind: "liveness" | "readiness" | "startup"): FieldError[] {
  const errs = handlerErrors(probe, path);
  for (const key of ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"] as const) {
    const value = probe[key] ?? 0;
    if (value < 0) errs.push(field.invalid(`${path}.${key}`, value, "must be greater than or equal to 0"));
  }
  const grace = probe.terminationGracePeriodSeconds;
  if (grace !== undefined && grace !== null && grace <= 0) errs.push(field.invalid(`${path}.terminationGracePeriodSeconds`, grace, "must be greater than 0"));
  if (kind !== "readiness" && (probe.successThreshold ?? 0) !== 1) errs.push(field.invalid(`${path}.successThreshold`, probe.successThreshold ?? 0, "must be 1"));
  if (kind === "readiness" && grace !== undefined && grace !== null) errs.push(field.invalid(`${path}.terminationGracePeriodSeconds`, grace, "must not be set for readinessProbes"));
  return errs;
}

/** The probes of a (regular) container, as validateContainers checks them. */
export function validateProbes(c: V1Container, path: string): FieldError[] {
  return [
    ...(c.livenessProbe ? probeErrors(c.livenessProbe, `${path}.livenessProbe`, "liveness") : []),
    ...(c.readinessProbe ? probeErrors(c.readinessProbe, `${path}.readinessProbe`, "readiness") : []),
    ...(c.startupProbe ? probeErrors(c.startupProbe, `${path}.startupProbe`, "startup") : []),
  ];
}
