package trm4j.engine;

import java.util.function.Supplier;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;

/**
 * Native memory by scope, the one way trm4j frees tensors. Every tensor made inside an open scope
 * (on the same thread) is freed when the scope closes, unless it is {@link #handOut handed out} to
 * the enclosing scope or {@link #own owned} by a holder that closes it itself (a carry that outlives
 * a step, an optimiser's buffers, a model's weights).
 */
public final class Scope implements AutoCloseable {
    private final PointerScope parent = PointerScope.getInnerScope();
    private final PointerScope scope = new PointerScope();

    private Scope() {}

    public static Scope open() {
        return new Scope();
    }

    /** Moves {@code p}, made in this scope, to the enclosing one, as if it had been made there (none: its holder frees it). */
    public <P extends Pointer> P handOut(P p) {
        p.retainReference();
        scope.detach(p);
        if (parent != null) {
            parent.attach(p);
            p.releaseReference();
        }
        return p;
    }

    /** Runs {@code body} in a scope of its own and hands its result to the caller's: everything else the body made is freed on return. */
    public static <P extends Pointer> P returning(Supplier<P> body) {
        try (Scope s = open()) {
            return s.handOut(body.get());
        }
    }

    /**
     * Takes {@code p} out of the innermost scope: its holder frees it with {@code close()}.
     * (PointerScope.detach releases the scope's reference, so one of our own is taken first.)
     */
    public static <P extends Pointer> P own(P p) {
        PointerScope inner = PointerScope.getInnerScope();
        if (inner != null) {
            p.retainReference();
            inner.detach(p);
        }
        return p;
    }

    @Override public void close() {
        scope.close();
    }
}
