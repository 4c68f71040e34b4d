package dev.konductor.kubelet.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessJournalTest {

    @Test
    void whatWasRecordedAndNotForgottenIsThereForTheNextKubelet(@TempDir Path dir) throws Exception {
        ProcessJournal journal = new ProcessJournal(dir.resolve("running"));
        journal.record(new ProcessJournal.Entry("aaa", 4242, 123456));
        journal.record(new ProcessJournal.Entry("bbb", 4343, 123457));
        journal.forget("bbb");
        Files.writeString(dir.resolve("running").resolve("garbled"), "not a pid");

        assertThat(new ProcessJournal(dir.resolve("running")).entries())
                .containsExactly(new ProcessJournal.Entry("aaa", 4242, 123456));
    }
}
