/**
 * The one place that loads @peculiar/x509: it needs a Reflect metadata polyfill before it loads
 * (its dependency injection container, tsyringe, checks for one) and a WebCrypto provider, set once.
 */
import 'reflect-metadata';

import { webcrypto } from 'node:crypto';

import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto);

export { x509 };
