// The tenant web console is being built (issue #5); until it lands the api serves no /console.
export {};
