package trm4j.api;

/** How a model was trained. */
public enum Method {
    /** Deep supervision with a learned halting head (Tiny Recursive Models). */
    TRM,
    /** Deep Improvement Supervision: a target for every supervision step, no halting. */
    DIS
}
