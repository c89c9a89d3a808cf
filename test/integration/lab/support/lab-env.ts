/** The environment a test lab service runs with: the run's lab, model and hospital, its own state folder. */
import type { GatewayHospital } from './gateway-hospital';
import { RUN_LAB, type RunModel } from './lab-network';

/** Lab settings for `model` fetching from `hospital`, state in `stateDir`; `extra` overrides any of them. */
export function labEnv(
  model: RunModel,
  hospital: GatewayHospital,
  stateDir: string,
  extra: Record<string, string> = {},
): Record<string, string | undefined> {
  return {
    ...process.env,
    VERISCAN_LAB_IDENTITY: RUN_LAB,
    VERISCAN_LAB_MODEL_DIR: model.modelDir,
    VERISCAN_LAB_HOSPITALS: `hospital-a=${hospital.blobUrl}`,
    VERISCAN_LAB_STATE_DIR: stateDir,
    VERISCAN_LAB_HTTP_PORT: '0',
    VERISCAN_LAB_LOG_LEVEL: 'warn',
    VERISCAN_LAB_DRAIN_TIMEOUT_MS: '10000',
    ...extra,
  };
}
