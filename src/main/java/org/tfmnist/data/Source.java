package org.tfmnist.data;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.tfmnist.data.DatasetSpec.FileSpec;

/**
 * A place the {@link DataFetcher} can take a data set's files from: a local directory, a cache, a
 * package registry, a web mirror. A source only offers candidate bytes; the fetcher checks each
 * file's SHA-256 before anything is written, so a source need not be trusted.
 */
public interface Source {
  /** The source in a few words, for the fetcher's log and its error messages. */
  String describe();

  /** Candidate bytes for some of the {@code wanted} files, keyed by canonical file name. */
  Map<String, byte[]> fetch(DatasetSpec ds, List<FileSpec> wanted) throws IOException;
}
