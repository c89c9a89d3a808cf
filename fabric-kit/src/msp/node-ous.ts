/**
 * The NodeOUs section of an MSP's `config.yaml` (msp/configbuilder.go `Configuration`, `NodeOUs`),
 * written the way cryptogen writes it (internal/cryptogen/msp/msp.go `exportConfig`) and read back by
 * the devnet's MSP.
 *
 * The reader understands the YAML subset these files use (block mappings of plain or quoted scalars,
 * comments). It reads only `NodeOUs`; other top-level keys such as `OrganizationalUnitIdentifiers`
 * are reported so the caller can refuse what the devnet does not implement instead of ignoring it.
 */
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

interface YamlLine {
  readonly number: number;
  readonly indent: number;
  readonly key: string;
  /** Undefined when the line opens a nested block. */
  readonly value: string | undefined;
}

function unquote(raw: string, lineNumber: number): string {
  const text = raw.trim();
  if (text.startsWith('"') || text.startsWith("'")) {
    const quote = text[0];
    if (text.length < 2 || !text.endsWith(quote ?? ''))
      throw new FabricKitError('MALFORMED_CONFIG', `config.yaml line ${lineNumber}: unterminated string`);
    return text.slice(1, -1);
  }
  return text;
}

function stripComment(line: string): string {
  // A '#' starts a comment at the beginning or after whitespace, outside quotes (enough for these files).
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) {
      return line.slice(0, i);
    }
  }
  return line;
}

function tokenize(text: string): YamlLine[] {
  const out: YamlLine[] = [];
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = stripComment(rawLine).replace(/\s+$/, '');
    if (line.trim().length === 0) return;
    const indent = line.length - line.trimStart().length;
    const body = line.trimStart();
    if (body.startsWith('- ') || body === '-') {
      // Sequence items only appear under keys the devnet does not read; keep them as opaque lines.
      out.push({ number: index + 1, indent, key: '-', value: body.slice(1).trim() });
      return;
    }
    const colon = body.indexOf(':');
    if (colon <= 0)
      throw new FabricKitError('MALFORMED_CONFIG', `config.yaml line ${index + 1}: expected "key: value"`);
    const rest = body.slice(colon + 1).trim();
    out.push({
      number: index + 1,
      indent,
      key: unquote(body.slice(0, colon), index + 1),
      value: rest.length === 0 ? undefined : unquote(rest, index + 1),
    });
  });
  return out;
}

function parseBool(value: string, lineNumber: number): boolean {
  if (/^(true|True|TRUE)$/.test(value)) return true;
  if (/^(false|False|FALSE)$/.test(value)) return false;
  throw new FabricKitError(
    'MALFORMED_CONFIG',
    `config.yaml line ${lineNumber}: Enable must be true or false`,
  );
}

/**
 * Parses an MSP `config.yaml`.
 * @throws Error naming the line of a construct it cannot read.
 */
export function parseMspYamlConfig(text: string): MspYamlConfig {
  const lines = tokenize(text);
  const otherKeys: string[] = [];
  let enabled = false;
  const nodeOus: Partial<Record<NodeOuRole, NodeOuIdentifier>> = {};
  let i = 0;
  while (i < lines.length) {
    const top = lines[i];
    i++;
    if (top === undefined) break;
    if (top.indent !== 0)
      throw new FabricKitError('MALFORMED_CONFIG', `config.yaml line ${top.number}: unexpected indentation`);
    const block: YamlLine[] = [];
    while (i < lines.length && (lines[i]?.indent ?? 0) > 0) {
      const next = lines[i];
      if (next !== undefined) block.push(next);
      i++;
    }
    if (top.key !== 'NodeOUs') {
      otherKeys.push(top.key);
      continue;
    }
    if (top.value !== undefined)
      throw new FabricKitError(
        'MALFORMED_CONFIG',
        `config.yaml line ${top.number}: NodeOUs must be a mapping`,
      );
    const childIndent = block[0]?.indent ?? 0;
    let j = 0;
    while (j < block.length) {
      const entry = block[j];
      j++;
      if (entry === undefined) break;
      if (entry.indent !== childIndent)
        throw new FabricKitError(
          'MALFORMED_CONFIG',
          `config.yaml line ${entry.number}: unexpected indentation`,
        );
      if (entry.key === 'Enable') {
        enabled = parseBool(entry.value ?? '', entry.number);
        continue;
      }
      const role = NODE_OU_ROLES.find((r) => YAML_KEY[r] === entry.key);
      if (role === undefined)
        throw new FabricKitError(
          'MALFORMED_CONFIG',
          `config.yaml line ${entry.number}: unknown NodeOUs key ${entry.key}`,
        );
      let ou: string | undefined;
      let certificate: string | undefined;
      while (j < block.length && (block[j]?.indent ?? 0) > childIndent) {
        const field = block[j];
        j++;
        if (field === undefined) break;
        if (field.key === 'OrganizationalUnitIdentifier') ou = field.value;
        else if (field.key === 'Certificate') certificate = field.value;
        else
          throw new FabricKitError(
            'MALFORMED_CONFIG',
            `config.yaml line ${field.number}: unknown key ${field.key}`,
          );
      }
      // Fabric ignores an identifier whose OU is empty (msp/configbuilder.go).
      if (ou !== undefined && ou.length > 0) {
        nodeOus[role] =
          certificate === undefined
            ? { organizationalUnitIdentifier: ou }
            : { organizationalUnitIdentifier: ou, certificate };
      }
    }
  }
  return { nodeOusEnabled: enabled, nodeOus, otherKeys };
}
