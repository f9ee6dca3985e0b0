package dev.ofn.webhook.cluster;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.function.Consumer;

/**
 * What an informer's events mean to a listener: an object appeared or changed ({@code old} is null
 * when it appeared), or it went. {@link #handler} is the one adapter to fabric8's handler.
 */
public interface ChangeListener<T> {
  void changed(T old, T now);

  void deleted(T gone);

  /** A listener for which any event is a change of that object. */
  static <T> ChangeListener<T> any(Consumer<T> changed) {
    return new ChangeListener<>() {
      @Override
      public void changed(T old, T now) {
        changed.accept(now);
      }

      @Override
      public void deleted(T gone) {
        changed.accept(gone);
      }
    };
  }

  /** fabric8's handler calling {@code listener}. */
  static <T> ResourceEventHandler<T> handler(ChangeListener<T> listener) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        listener.changed(null, object);
      }

      @Override
      public void onUpdate(T old, T now) {
        listener.changed(old, now);
      }

      @Override
      public void onDelete(T gone, boolean finalStateUnknown) {
        listener.deleted(gone);
      }
    };
  }
}
