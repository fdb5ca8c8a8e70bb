// @ts-check
// The usage dashboard's daily chart, drawn with uPlot from the numbers the page already carries.

const holder = document.getElementById("usage-chart");
const source = document.getElementById("usage-data");
const Plot = window.uPlot;

if (holder && source && Plot) {
  /** @type {{ days: number[]; sent: number[]; failed: number[]; throttled: number[] }} */
  const data = JSON.parse(source.textContent ?? "{}");
  const css = getComputedStyle(document.documentElement);
  /** @param {string} name */
  const token = (name) => css.getPropertyValue(name).trim();
  const grid = { stroke: token("--border"), width: 1 };
  const axis = {
    stroke: token("--text-muted"),
    grid,
    ticks: grid,
    font: `12px ${token("--font")}`,
  };
  const height = () => (holder.clientWidth < 480 ? 200 : 260);
  /**
   * Marks only the days with something to show; the zero line needs no dots.
   * @type {import("uplot").Series.Points.Filter}
   */
  const nonZero = (u, seriesIdx) => {
    const values = u.data[seriesIdx] ?? [];
    /** @type {number[]} */
    const days = [];
    for (let i = 0; i < values.length; i++) if (values[i]) days.push(i);
    return days;
  };

  const DAY = 86_400;
  const today = data.days.at(-1) ?? 0;
  const dayLabel = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", timeZone: "UTC" });
  /**
   * Day ticks counted back from today, so that today always has its label.
   * @type {import("uplot").Axis.Splits}
   */
  const daySplits = (_u, _axis, min) => {
    const step = holder.clientWidth < 480 ? 7 : 4;
    /** @type {number[]} */
    const splits = [];
    for (let t = today; t >= min; t -= step * DAY) splits.unshift(t);
    return splits;
  };
  /** @type {import("uplot").Axis.Values} */
  const dayValues = (_u, splits) =>
    splits.map((t) => (t === today ? "Today" : dayLabel.format(new Date(t * 1000))));

  /** @type {import("uplot").Options} */
  const options = {
    width: holder.clientWidth,
    height: height(),
    tzDate: (ts) => Plot.tzDate(new Date(ts * 1000), "Etc/UTC"),
    cursor: { drag: { x: false, y: false } },
    legend: { live: false },
    scales: {
      // Half a day of room on each side, so the first and last days' bars are whole.
      x: { range: (_u, min, max) => [min - 43_200, max + 43_200] },
      y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.15))] },
    },
    axes: [
      { ...axis, splits: daySplits, values: dayValues },
      { ...axis, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000] },
    ],
    series: [
      { label: "Day" },
      {
        label: "Sent",
        stroke: token("--accent"),
        fill: token("--accent"),
        width: 1,
        paths: Plot.paths.bars?.({ size: [0.6, 28] }),
        points: { show: false },
      },
      // Equal failed and rate-limited counts must both stay visible: a wide solid line with large
      // dots under a narrow dashed one with small dots.
      { label: "Failed", stroke: token("--danger"), width: 4, points: { size: 10, filter: nonZero } },
      {
        label: "Rate limited",
        stroke: token("--warning"),
        width: 2,
        dash: [5, 5],
        points: { size: 5, fill: token("--warning"), filter: nonZero },
      },
    ],
  };
  holder.textContent = "";
  const chart = new Plot(options, [data.days, data.sent, data.failed, data.throttled], holder);
  new ResizeObserver(() => chart.setSize({ width: holder.clientWidth, height: height() })).observe(holder);
}
