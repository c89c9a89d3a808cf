import { Context } from 'fabric-contract-api';

/**
 * The transaction context of every Veriscan contract. Nothing is read from the endorsing node
 * itself: time comes from the transaction timestamp and randomness from the transaction id, so every
 * endorser computes the same result.
 */
export class VeriscanContext extends Context {}
