import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../engine/src/testing/processes.ts';
import { DEFAULT_PORTS, SHOP_SERVICES, urlVariable } from './topology.ts';
import type { ShopService } from './topology.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const READY_DEADLINE_MS = 20_000;

export interface LocalShopOptions {
  /** OTLP/HTTP base URL the services export traces to; none: no export. */
  otlpUrl?: string | undefined;
  /** Loki base URL the services push logs to; none: stdout only. */
  lokiUrl?: string | undefined;
  /** Listen on the services' default ports (8080–8084, as demo:fault expects) instead of free ones. */
  defaultPorts?: boolean;
}

export interface LocalShop {
  urls: Record<ShopService, string>;
  /** The last output of a service, for failure messages. */
  output(service: ShopService): string;
  stop(): Promise<void>;
}

/** Runs every shop service as its own Node process on free local ports, wired to each other; waits until all answer. */
export async function startLocalShop(options: LocalShopOptions = {}): Promise<LocalShop> {
  const ports = new Map<ShopService, number>();
  for (const service of SHOP_SERVICES) {
    ports.set(service, options.defaultPorts === true ? DEFAULT_PORTS[service] : await freePort());
  }
  const urls = Object.fromEntries(
    SHOP_SERVICES.map((service) => [service, `http://127.0.0.1:${ports.get(service) ?? 0}`])
  ) as Record<ShopService, string>;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOST: '127.0.0.1',
    OTEL_EXPORTER_OTLP_ENDPOINT: options.otlpUrl ?? '',
    LOKI_URL: options.lokiUrl ?? '',
  };
  for (const service of SHOP_SERVICES) {
    env[urlVariable(service)] = urls[service];
  }
  const children = new Map<ShopService, ChildProcess>();
  const outputs = new Map<ShopService, string>();
  const killAll = () => {
    for (const child of children.values()) {
      child.kill('SIGKILL');
    }
  };
  process.once('exit', killAll);
  for (const service of SHOP_SERVICES) {
    const child = spawn(process.execPath, [MAIN, service], {
      env: { ...env, PORT: String(ports.get(service) ?? 0) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) =>
      outputs.set(service, ((outputs.get(service) ?? '') + chunk.toString()).slice(-8000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    children.set(service, child);
  }
  const stop = async () => {
    process.removeListener('exit', killAll);
    await Promise.all(
      [...children.values()].map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          return;
        }
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      })
    );
  };
  const deadline = Date.now() + READY_DEADLINE_MS;
  for (const service of SHOP_SERVICES) {
    while (!(await answers(`${urls[service]}/-/healthy`))) {
      const child = children.get(service);
      if (Date.now() > deadline || child?.exitCode !== null) {
        await stop();
        throw new Error(`shop service ${service} did not start:\n${outputs.get(service) ?? ''}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { urls, output: (service) => outputs.get(service) ?? '', stop };
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}
