package dev.konductor.kubelet.pods;

import dev.konductor.kubelet.runtime.ContainerRuntime;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@link ContainerRuntime} for unit tests that answers only the calls a test names (by method
 * name, given the call's arguments); an unnamed default method does what the interface says (a
 * runtime that pulls images, isolates containers, ...), and any other call fails the test.
 */
final class FakeRuntime {

    private FakeRuntime() {
    }

    static ContainerRuntime answering(Map<String, Function<Object[], Object>> answers) {
        return (ContainerRuntime) Proxy.newProxyInstance(ContainerRuntime.class.getClassLoader(),
                new Class<?>[] {ContainerRuntime.class}, (proxy, method, args) -> {
                    Function<Object[], Object> answer = answers.get(method.getName());
                    if (answer == null && method.isDefault()) {
                        return InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    if (answer == null) {
                        throw new AssertionError("unexpected runtime call: " + method.getName());
                    }
                    return answer.apply(args);
                });
    }
}
