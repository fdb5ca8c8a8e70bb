// The abuse throttles of the console's account routes, counted in PostgreSQL so every replica
// agrees. Per address, they bound password spraying, sign-up floods and email enumeration from one
// place; per account, they bound guessing one password from many. Failures only count: a
// successful sign-in takes its attempt back.
import type { Throttle } from "../throttle.ts";

const MINUTE = 60_000;

/** Sign-in attempts from one address (any accounts): spraying. */
export const SIGN_IN_PER_ADDRESS: Throttle = {
  name: "login-addr",
  windowMs: 10 * MINUTE,
  limit: 30,
  what: "sign-in from your address",
};

/**
 * Failed sign-ins to one account from addresses that never signed in to it: guessing one
 * password. An address the account signed in from within KNOWN_ADDRESS_DAYS is not held back by
 * it, so a stranger's failures cannot lock the owner out; a password reset clears it.
 */
export const SIGN_IN_PER_ACCOUNT: Throttle = {
  name: "login",
  windowMs: 15 * MINUTE,
  limit: 10,
  what: "sign-in to this account",
};
export const KNOWN_ADDRESS_DAYS = 30;

/** New tenants from one address. */
export const SIGN_UP_PER_ADDRESS: Throttle = {
  name: "signup-addr",
  windowMs: 60 * MINUTE,
  limit: 10,
  what: "sign-up from your address",
};

/** Password resets (one-time links) and changes tried from one address, and changes per account. */
export const PASSWORD_PER_ADDRESS: Throttle = {
  name: "password-addr",
  windowMs: 15 * MINUTE,
  limit: 20,
  what: "password changes from your address",
};
export const PASSWORD_PER_ACCOUNT: Throttle = {
  name: "password",
  windowMs: 15 * MINUTE,
  limit: 10,
  what: "password changes of this account",
};

/** Operator API calls with a wrong token, per address. */
export const OPERATOR_TOKEN_PER_ADDRESS: Throttle = {
  name: "admin-addr",
  windowMs: MINUTE,
  limit: 10,
  what: "the operator API from your address",
};
