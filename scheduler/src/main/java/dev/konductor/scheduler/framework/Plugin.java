package dev.konductor.scheduler.framework;

/** A scheduling plugin; it implements one or more of the extension-point interfaces nested here. */
public interface Plugin {

    String name();

    /**
     * Computes per-cycle state before filtering. A rejection here fails the pod on every node;
     * {@link Status#SKIP} means this plugin's Filter has nothing to check for this pod.
     */
    interface PreFilter extends Plugin {
        Status preFilter(CycleState state, PodInfo pod, Snapshot snapshot);

        /** How to keep this plugin's state right when pods are added to or removed from a node (preemption). */
        default PreFilterExtensions extensions() {
            return null;
        }
    }

    /** Updates a PreFilter plugin's cycle state as if {@code other} were added to or removed from {@code node}. */
    interface PreFilterExtensions {
        void addPod(CycleState state, PodInfo pod, PodInfo other, NodeInfo node);

        void removePod(CycleState state, PodInfo pod, PodInfo other, NodeInfo node);
    }

    /** Whether the pod may run on one node; pure. */
    interface Filter extends Plugin {
        Status filter(CycleState state, PodInfo pod, NodeInfo node);
    }

    /** Runs when no node passed the filters (DefaultPreemption). */
    interface PostFilter extends Plugin {
        PostFilterResult postFilter(CycleState state, PodInfo pod, NodeStatuses statuses);
    }

    /** The outcome of a PostFilter: a status and, on success, the node the pod was nominated to. */
    record PostFilterResult(Status status, String nominatedNode) {
    }

    /** Computes state for scoring over the feasible nodes; {@link Status#SKIP} skips this plugin's Score. */
    interface PreScore extends Plugin {
        Status preScore(CycleState state, PodInfo pod, java.util.List<NodeInfo> nodes);
    }

    /** Ranks a feasible node; scores are then normalized to 0..100 and weighted. */
    interface Score extends Plugin {
        long score(CycleState state, PodInfo pod, NodeInfo node);

        /** Scales {@code scores} (one per node of {@code nodes}, in order) into 0..{@link #MAX_NODE_SCORE}. */
        default void normalize(CycleState state, PodInfo pod, java.util.List<NodeInfo> nodes, long[] scores) {
        }

        long MAX_NODE_SCORE = 100;
    }

    /** Takes (and gives back) resources for a pod on its chosen node before binding. */
    interface Reserve extends Plugin {
        Status reserve(CycleState state, PodInfo pod, String node);

        void unreserve(CycleState state, PodInfo pod, String node);
    }

    /**
     * Prepares the chosen node before the pod is bound to it (VolumeBinding: binds or provisions
     * the pod's volumes there). Runs in the binding cycle, off the scheduling thread; a failure
     * unreserves and sends the pod back to the queue.
     */
    interface PreBind extends Plugin {
        Status preBind(CycleState state, PodInfo pod, String node);
    }

    /** Binds the pod to its node through the API. */
    interface Bind extends Plugin {
        Status bind(PodInfo pod, String node);
    }
}
