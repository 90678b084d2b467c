package trm4j;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import trm4j.engine.Natives;

/** Loads libtorch (the product's own way) before any test class runs. */
public final class TorchExtension implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        Natives.tuneProcess();
    }
}
