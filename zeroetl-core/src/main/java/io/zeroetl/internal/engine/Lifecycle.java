package io.zeroetl.internal.engine;

import io.zeroetl.PipelineListener;
import io.zeroetl.PipelineState;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's state, moved forward by compare-and-set (or back to STANDBY, the one way back), with
 * listeners told of each move.
 */
final class Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    private final String pipelineId;
    private final AtomicReference<PipelineState> state = new AtomicReference<>(PipelineState.STARTING);
    private final List<PipelineListener> listeners;

    Lifecycle(String pipelineId, List<PipelineListener> listeners) {
        this.pipelineId = pipelineId;
        this.listeners = listeners;
    }

    PipelineState get() {
        return state.get();
    }

    /**
     * Moves to {@code next} if that is forward from the current state (FAILED is reachable from any
     * state that is not final, STANDBY from any before STOPPING, and STANDBY leads to any); returns whether
     * it moved.
     */
    boolean moveTo(PipelineState next) {
        while (true) {
            PipelineState current = state.get();
            if (!allowed(current, next)) {
                return false;
            }
            if (state.compareAndSet(current, next)) {
                LOG.info("Pipeline {}: {} -> {}", pipelineId, current, next);
                for (PipelineListener listener : listeners) {
                    try {
                        listener.stateChanged(current, next);
                    } catch (RuntimeException e) {
                        LOG.warn(
                                "Pipeline {}: a listener failed on {} -> {}: {}",
                                pipelineId,
                                current,
                                next,
                                e.toString());
                    }
                }
                return true;
            }
        }
    }

    private static boolean allowed(PipelineState current, PipelineState next) {
        if (current.isFinal() || current == next) {
            return false;
        }
        if (next == PipelineState.FAILED) {
            return true;
        }
        if (next == PipelineState.STANDBY) {
            // stepping back: only an instance that is not closing
            return current.ordinal() < PipelineState.STOPPING.ordinal();
        }
        if (current == PipelineState.STANDBY) {
            return true;
        }
        return next.ordinal() > current.ordinal();
    }
}
