package org.tfmnist.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NotDirectoryException;
import org.tfmnist.data.NotFetchedException;
import org.tfmnist.train.NonFiniteLossException;
import org.tfmnist.util.ErrorReason;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tf-mnist}: the classic Keras MNIST tutorials on TensorFlow Java. */
@Command(
    name = "tf-mnist",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "The classic Keras MNIST scripts on TensorFlow Java: train, evaluate, export.",
    subcommands = {
      TrainCommand.class,
      EvaluateCommand.class,
      SummaryCommand.class,
      ExportCommand.class,
      ImportCommand.class,
      DataCommand.class,
      PredictCommand.class,
      ShowCommand.class,
      BenchCommand.class,
      ServeCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:bad input (a corrupt, truncated or missing file; a place that cannot be written) or "
          + "a failed run; one line on stderr says why",
      "2:bad command-line usage (an unknown option, a value out of range); the usage follows",
      "70:internal error: a bug, whatever the input (the stack trace is printed; please report it)"
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit code (tests call this). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler(Main::handle);
    return cl;
  }

  /**
   * Bad input, failed training and a file that cannot be read or written print one line, no stack
   * trace, and exit 1.
   */
  private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    int code = ExitCodes.of(e);
    if (code == ExitCodes.FAILED) {
      err.println("tf-mnist: error: " + wordedForTheCli(e));
      if (System.getenv("TF_MNIST_DEBUG") != null) {
        e.printStackTrace(err);
      }
    } else {
      err.println("tf-mnist: internal error (please report it with this trace):");
      e.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  /** The library's message with the flag that helps, where one does. */
  private static String wordedForTheCli(Exception e) {
    String m = e.getMessage();
    if (e instanceof NonFiniteLossException) {
      return m + " (try a lower --lr)";
    }
    if (e instanceof NotFetchedException) {
      return m + " (or use --source)";
    }
    if (e instanceof UncheckedIOException u) {
      return wordedForTheCli(u.getCause());
    }
    // the commands word the I/O errors they expect; this is the one for those they do not
    if (e instanceof FileSystemException f && f.getFile() != null) {
      String why =
          f instanceof FileAlreadyExistsException
              ? "already exists"
              : f instanceof NotDirectoryException ? "not a directory" : ErrorReason.of(f);
      return f.getFile() + ": " + why;
    }
    if (e instanceof IOException) {
      return ErrorReason.of(e);
    }
    return m;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Version: the project's and TensorFlow's. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {
        "tf-mnist " + (v == null ? "dev" : v),
        "TensorFlow " + org.tensorflow.TensorFlow.version() + " (TensorFlow Java 1.0.0)"
      };
    }
  }
}
