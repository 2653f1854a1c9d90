/**
 * The convex hull of a template's minutiae, grown by a margin: MCC's estimate of where the finger
 * touched the sensor (templates carry no image mask). A cylinder cell outside it is "invalid": it says
 * nothing, rather than "no minutia here", so a partial print is not punished for the finger it lacks.
 */
export interface Hull {
  /** vertices in counter-clockwise order (y up), flattened x0, y0, x1, y1, ... */
  readonly points: Float64Array;
  readonly count: number;
}

/** Andrew's monotone chain over the points (x[i], y[i]); fewer than 3 distinct points give a degenerate hull. */
export function convexHull(x: ArrayLike<number>, y: ArrayLike<number>, n: number): Hull {
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a] - x[b] || y[a] - y[b]);
  const stack: number[] = [];
  const cross = (o: number, a: number, b: number) =>
    (x[a] - x[o]) * (y[b] - y[o]) - (y[a] - y[o]) * (x[b] - x[o]);
  for (const i of order) {
    while (stack.length >= 2 && cross(stack[stack.length - 2], stack[stack.length - 1], i) <= 0) stack.pop();
    stack.push(i);
  }
  const lowerSize = stack.length + 1;
  for (let q = order.length - 2; q >= 0; q--) {
    const i = order[q];
    while (stack.length >= lowerSize && cross(stack[stack.length - 2], stack[stack.length - 1], i) <= 0)
      stack.pop();
    stack.push(i);
  }
  if (stack.length > 1) stack.pop(); // the first point closes the chain
  const points = new Float64Array(stack.length * 2);
  stack.forEach((i, k) => {
    points[2 * k] = x[i];
    points[2 * k + 1] = y[i];
  });
  return { points, count: stack.length };
}

/** True when (px, py) lies inside the hull or within `margin` of it. */
export function withinHull(h: Hull, px: number, py: number, margin: number): boolean {
  const { points, count } = h;
  if (count === 0) return false;
  // inside a counter-clockwise polygon = left of every edge; most cell centres are, so test that first
  if (count >= 3) {
    let inside = true;
    for (let k = 0; k < count && inside; k++) {
      const next = k + 1 === count ? 0 : k + 1;
      const ex = points[2 * next] - points[2 * k];
      const ey = points[2 * next + 1] - points[2 * k + 1];
      if (ex * (py - points[2 * k + 1]) - ey * (px - points[2 * k]) < 0) inside = false;
    }
    if (inside) return true;
  }
  let best = Number.POSITIVE_INFINITY;
  for (let k = 0; k < count; k++) {
    const ax = points[2 * k];
    const ay = points[2 * k + 1];
    const next = k + 1 === count ? 0 : k + 1;
    const ex = points[2 * next] - ax;
    const ey = points[2 * next + 1] - ay;
    const wx = px - ax;
    const wy = py - ay;
    const len2 = ex * ex + ey * ey;
    const t = len2 > 0 ? Math.max(0, Math.min(1, (wx * ex + wy * ey) / len2)) : 0;
    const dx = wx - t * ex;
    const dy = wy - t * ey;
    best = Math.min(best, dx * dx + dy * dy);
  }
  return best <= margin * margin;
}
