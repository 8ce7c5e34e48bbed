package org.tfmnist.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** jHDF 0.9.4 overwrote an empty group written after the last dataset; ours stays readable. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Hdf5WriterTest {

  @Test
  void anEmptyGroupAfterTheDataStaysReadable() throws Exception {
    Hdf5Writer.G root = new Hdf5Writer.G();
    root.group("layers").group("dense").group("vars").dataset("0", new float[] {1, 2});
    root.group("m"); // with jHDF's own order, its header was overwritten by jHDF's note
    root.group("vars").attribute("name", "sequential");
    byte[] bytes = Hdf5Writer.bytes(root);
    try (HdfFile f = HdfFile.fromBytes(bytes)) {
      assertEquals(Set.of("layers", "m", "vars"), f.getChildren().keySet());
      assertEquals(0, ((Group) f.getChild("m")).getChildren().size());
      assertEquals("sequential", f.getChild("vars").getAttribute("name").getData());
      assertArrayEquals(
          new float[] {1, 2}, (float[]) f.getDatasetByPath("layers/dense/vars/0").getData());
      assertEquals(Set.of(), f.getAttributes().keySet(), "no root attribute, as Keras' files");
    }
  }
}
