// What tests/test_anchoring.py uses of Apache Annotator, as one global for the page.
export {
  createTextPositionSelectorMatcher,
  createTextQuoteSelectorMatcher,
} from "@apache-annotator/dom";
