// Globals of the vendor scripts the pages load as classic scripts (served from node_modules).
declare global {
  var uPlot: typeof import("uplot") | undefined;
  var microsoftTeams: typeof import("@microsoft/teams-js") | undefined;
}

export {};
