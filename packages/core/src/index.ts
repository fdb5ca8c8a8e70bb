// @herald/core: the pure domain. No I/O, no clock reads; time and randomness are parameters.
export * from "./bot.ts";
export * from "./cards.ts";
export * from "./classify.ts";
export * from "./delivery-policy.ts";
export * from "./entra.ts";
export * from "./flow-policy.ts";
export * from "./format.ts";
export * from "./host-patterns.ts";
export * from "./ids.ts";
export * from "./ip.ts";
export * from "./json.ts";
export * from "./period.ts";
export * from "./plans.ts";
export * from "./rate.ts";
export * from "./retry-after.ts";
export * from "./text.ts";
export * from "./url.ts";
