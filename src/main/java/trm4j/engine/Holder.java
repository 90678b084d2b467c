package trm4j.engine;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * Holds one value of tensors at a time, replaced whole: the state a loop carries from one step to
 * the next. The value's tensors live in a scope of the holder's own, so they outlive the step's
 * scope they were made in; replacing the value frees the previous one's, except those the new
 * value still holds (a batch kept across steps). What the step made and did not keep is freed with
 * the step's scope, as always.
 */
public final class Holder<T extends TensorRecord> implements AutoCloseable {
    private PointerScope scope;   // the current value's tensors, off the thread's stack of scopes
    private T value;

    public T get() {
        return value;
    }

    /** Takes {@code next} (null: none) as the value and frees the previous value's tensors it does not hold. */
    public T replace(T next) {
        PointerScope kept = null;
        if (next != null) {
            kept = new PointerScope();
            kept.extend().close();   // taken off the thread's stack at once: what the step makes next does not land here
            for (Tensor t : next.tensors()) kept.attach(t);   // a reference of its own; the step's scope drops the step's
        }
        if (scope != null) scope.close();
        scope = kept;
        value = next;
        return next;
    }

    @Override public void close() {
        replace(null);
    }
}
