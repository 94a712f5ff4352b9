package interval

// SkewRatio exposes skewRatio so that tests can check that they reach the
// galloping paths of the two-input operations.
const SkewRatio = skewRatio
