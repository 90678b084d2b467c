package trm4j.engine;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonProperty;

import trm4j.UserError;

/** What a configuration or an option asks for: a {@link Precision}, or AUTO, which {@link PrecisionChoice} resolves on this machine. */
public enum PrecisionSetting {
    @JsonProperty("auto") AUTO(null),
    @JsonProperty("bf16") BF16(Precision.BF16),
    @JsonProperty("fp32") FP32(Precision.FP32),
    @JsonProperty("fp64") FP64(Precision.FP64);

    /** The precision asked for, or null for AUTO. */
    final Precision fixed;

    PrecisionSetting(Precision fixed) {
        this.fixed = fixed;
    }

    /** auto, bf16, fp32, fp64 (also float32, float64, double), case-insensitively; a wrong value names {@code option}. */
    public static PrecisionSetting parse(String s, String option) {
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "auto": return AUTO;
            case "bf16": case "bfloat16": return BF16;
            case "fp32": case "float32": case "float": return FP32;
            case "fp64": case "float64": case "double": return FP64;
            default: throw new UserError(option + ": unknown precision '" + s + "' (expected auto, bf16, fp32 or fp64)");
        }
    }

    @Override public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
