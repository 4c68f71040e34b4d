package dev.konductor.kubelet.status;

/** Why a container is not running, as the last sync found (CrashLoopBackOff, ErrImagePull...). */
public record Waiting(String reason, String message) {

    public static final String CONTAINER_CREATING = "ContainerCreating";
    public static final String CRASH_LOOP_BACK_OFF = "CrashLoopBackOff";
    public static final String ERR_IMAGE_PULL = "ErrImagePull";
    public static final String IMAGE_PULL_BACK_OFF = "ImagePullBackOff";
    public static final String ERR_IMAGE_NEVER_PULL = "ErrImageNeverPull";
    public static final String CREATE_CONTAINER_CONFIG_ERROR = "CreateContainerConfigError";
    public static final String CREATE_CONTAINER_ERROR = "CreateContainerError";
    public static final String RUN_CONTAINER_ERROR = "RunContainerError";
}
