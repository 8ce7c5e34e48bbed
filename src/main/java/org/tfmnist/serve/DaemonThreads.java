package org.tfmnist.serve;

import java.util.concurrent.ThreadFactory;

/**
 * The server's own threads (HTTP workers, batch threads, the model poller) are daemons: the server
 * stops them itself on shutdown, and nothing left over may keep the JVM from exiting.
 */
final class DaemonThreads {

  private DaemonThreads() {}

  /** A factory of daemon threads all called {@code name}. */
  static ThreadFactory named(String name) {
    return r -> create(name, r);
  }

  /** Starts {@code r} on a daemon thread called {@code name}. */
  static Thread start(String name, Runnable r) {
    Thread t = create(name, r);
    t.start();
    return t;
  }

  private static Thread create(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
