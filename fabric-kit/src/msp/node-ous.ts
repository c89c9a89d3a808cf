/**
 * The NodeOUs section of an MSP's `config.yaml` (msp/configbuilder.go `Configuration`, `NodeOUs`),
 * written the way cryptogen writes it (internal/cryptogen/msp/msp.go `exportConfig`) and read back by
 * the devnet's MSP.
 *
 * It reads only `NodeOUs`; other top-level keys such as `OrganizationalUnitIdentifiers` are reported
 * so the caller can refuse what the devnet does not implement instead of ignoring it.
 */
import { parse } from 'yaml';
import { NODE_OU_ROLES, type NodeOuRole } from '../consortium.js';
import { FabricKitError } from '../errors';

/** One NodeOU identifier: the OU value and, optionally, the CA certificate (relative path) that must certify it. */
export interface NodeOuIdentifier {
  readonly organizationalUnitIdentifier: string;
  readonly certificate?: string;
}

/** The parsed `config.yaml`. */
export interface MspYamlConfig {
  /** `NodeOUs.Enable`. */
  readonly nodeOusEnabled: boolean;
  /** The identifiers present, by role. */
  readonly nodeOus: Readonly<Partial<Record<NodeOuRole, NodeOuIdentifier>>>;
  /** Top-level keys other than `NodeOUs`. */
  readonly otherKeys: readonly string[];
}

const YAML_KEY: Readonly<Record<NodeOuRole, string>> = {
  client: 'ClientOUIdentifier',
  peer: 'PeerOUIdentifier',
  admin: 'AdminOUIdentifier',
  orderer: 'OrdererOUIdentifier',
};

/**
 * The `config.yaml` cryptogen writes with NodeOUs enabled: every role's OU certified by `caCertPath`.
 * @param caCertPath relative to the MSP folder, e.g. `cacerts/ca.lab.veriscan.local-cert.pem`.
 */
export function nodeOusConfigYaml(caCertPath: string): string {
  const lines = ['NodeOUs:', '  Enable: true'];
  for (const role of NODE_OU_ROLES) {
    lines.push(
      `  ${YAML_KEY[role]}:`,
      `    Certificate: ${caCertPath}`,
      `    OrganizationalUnitIdentifier: ${role}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function isMapping(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function malformed(message: string, cause?: unknown): never {
  throw new FabricKitError('MALFORMED_CONFIG', `config.yaml: ${message}`, { cause });
}

/** One `<Role>OUIdentifier` block, or undefined when Fabric would ignore it (no or empty OU). */
function parseIdentifier(key: string, value: unknown): NodeOuIdentifier | undefined {
  if (value === null || value === undefined) return undefined;
  if (!isMapping(value)) return malformed(`NodeOUs.${key} must be a mapping`);
  for (const field of Object.keys(value)) {
    if (field !== 'OrganizationalUnitIdentifier' && field !== 'Certificate')
      malformed(`unknown key ${field} in NodeOUs.${key}`);
  }
  const ou: unknown = value.OrganizationalUnitIdentifier;
  const certificate: unknown = value.Certificate;
  if (ou !== undefined && typeof ou !== 'string')
    malformed(`NodeOUs.${key}.OrganizationalUnitIdentifier must be a string`);
  if (certificate !== undefined && typeof certificate !== 'string')
    malformed(`NodeOUs.${key}.Certificate must be a string`);
  // Fabric ignores an identifier whose OU is empty (msp/configbuilder.go).
  if (ou === undefined || ou.length === 0) return undefined;
  return certificate === undefined
    ? { organizationalUnitIdentifier: ou }
    : { organizationalUnitIdentifier: ou, certificate };
}

/**
 * Parses an MSP `config.yaml` (with the `yaml` library; YAML 1.2 core schema).
 * @throws FabricKitError `MALFORMED_CONFIG` naming what it cannot read.
 */
export function parseMspYamlConfig(text: string): MspYamlConfig {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    return malformed(error instanceof Error ? error.message : String(error), error);
  }
  if (document === null || document === undefined)
    return { nodeOusEnabled: false, nodeOus: {}, otherKeys: [] };
  if (!isMapping(document)) return malformed('the top level must be a mapping');
  const otherKeys = Object.keys(document).filter((key) => key !== 'NodeOUs');
  const section: unknown = document.NodeOUs;
  const nodeOus: Partial<Record<NodeOuRole, NodeOuIdentifier>> = {};
  if (section === undefined || section === null) return { nodeOusEnabled: false, nodeOus, otherKeys };
  if (!isMapping(section)) return malformed('NodeOUs must be a mapping');
  let enabled = false;
  for (const [key, value] of Object.entries(section)) {
    if (key === 'Enable') {
      if (typeof value !== 'boolean') malformed('NodeOUs.Enable must be true or false');
      enabled = value;
      continue;
    }
    const role = NODE_OU_ROLES.find((r) => YAML_KEY[r] === key);
    if (role === undefined) return malformed(`unknown NodeOUs key ${key}`);
    const identifier = parseIdentifier(key, value);
    if (identifier !== undefined) nodeOus[role] = identifier;
  }
  return { nodeOusEnabled: enabled, nodeOus, otherKeys };
}
