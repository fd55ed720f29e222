/* The file journal behind bh_store: frames round-trip, a torn last frame
   is cut off at every possible length, damage in the middle is reported,
   compaction replaces the file atomically, and the test crash point exits
   right after the Nth write. */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L
#define T_SUITE "journal"
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"
#include "t.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>

static char dir[64], path[128];
static uint8_t loadbuf[1 << 16];

/* What a load saw: a compact text of every record, for comparison. */
static char seen[8192];
static size_t nseen;

static int collect(void *arg, const bh_store_record *r)
{
    size_t n = strlen(seen);
    (void)arg;
    snprintf(seen + n, sizeof seen - n, "%d/%d/%d/%.*s/%.*s/%.*s/%zu;", r->kind,
             r->state, r->attempts, (int)r->id_len, r->id, (int)r->webhook_id_len,
             r->webhook_id, (int)r->data_len, (const char *)r->data, r->head_len);
    nseen++;
    return 0;
}

static int load_all(bh_journal *j)
{
    bh_store s = bh_journal_store(j);
    seen[0] = '\0';
    nseen = 0;
    return s.load(s.ctx, collect, NULL);
}

static int append_array(const bh_store *s, const bh_store_record *r, size_t n)
{
    bh_store_batch b = bh_store_batch_array(r, n);
    return s->append(s->ctx, &b);
}

static bh_store_record rec(uint8_t kind, const char *id, const char *hook,
                           const char *data, size_t head)
{
    bh_store_record r;
    memset(&r, 0, sizeof r);
    r.kind = kind;
    r.state = BH_DELIVERY_PENDING;
    r.id = id;
    r.id_len = id ? strlen(id) : 0;
    r.webhook_id = hook;
    r.webhook_id_len = hook ? strlen(hook) : 0;
    r.data = (const uint8_t *)data;
    r.data_len = data ? strlen(data) : 0;
    r.head_len = head;
    return r;
}

/* Three frames: an event with two deliveries, a state, another event. */
static void write_three(bh_journal *j)
{
    bh_store s = bh_journal_store(j);
    bh_store_record a[3], b[1], c[2];
    a[0] = rec(BH_RECORD_EVENT, NULL, NULL, "{\"event\":\"TODO_CREATED\",\"webhook\":,\"currentValue\":{}}", 26);
    a[1] = rec(BH_RECORD_DELIVERY, "msg_1", "hook-a", "{\"id\":\"hook-a\"}", 0);
    a[2] = rec(BH_RECORD_DELIVERY, "msg_2", "hook-b", "{\"id\":\"hook-b\"}", 0);
    b[0] = rec(BH_RECORD_STATE, "msg_1", NULL, NULL, 0);
    b[0].state = BH_DELIVERY_DONE;
    c[0] = rec(BH_RECORD_EVENT, NULL, NULL, "{\"event\":\"TAG_CREATED\",\"webhook\":}", 24);
    c[1] = rec(BH_RECORD_DELIVERY, "msg_3", "hook-a", "{}", 0);
    c[1].attempts = 4;
    c[1].state = BH_DELIVERY_DEAD;
    CHECK_EQ(append_array(&s, a, 3), BH_OK);
    CHECK_EQ(append_array(&s, b, 1), BH_OK);
    CHECK_EQ(append_array(&s, c, 2), BH_OK);
}

static const char *THREE =
    "1/1/0///{\"event\":\"TODO_CREATED\",\"webhook\":,\"currentValue\":{}}/26;"
    "2/1/0/msg_1/hook-a/{\"id\":\"hook-a\"}/0;"
    "2/1/0/msg_2/hook-b/{\"id\":\"hook-b\"}/0;"
    "3/3/0/msg_1///0;"
    "1/1/0///{\"event\":\"TAG_CREATED\",\"webhook\":}/24;"
    "2/2/4/msg_3/hook-a/{}/0;";

static void fresh(bh_journal *j)
{
    unlink(path);
    CHECK_EQ(bh_journal_open(j, path, loadbuf, sizeof loadbuf), BH_OK);
}

static off_t file_size(void)
{
    struct stat st;
    return stat(path, &st) == 0 ? st.st_size : -1;
}

static void crc32_check_value(void)
{
    CHECK_EQ(bh__crc32(0, (const uint8_t *)"123456789", 9), 0xcbf43926u);
    CHECK_EQ(bh__crc32(bh__crc32(0, (const uint8_t *)"1234", 4),
                       (const uint8_t *)"56789", 5), 0xcbf43926u);
    CHECK_EQ(bh__crc32(0, NULL, 0), 0);
}

static void round_trip(void)
{
    bh_journal j;
    fresh(&j);
    write_three(&j);
    bh_journal_close(&j);
    CHECK_EQ(bh_journal_open(&j, path, loadbuf, sizeof loadbuf), BH_OK);
    CHECK_EQ(load_all(&j), BH_OK);
    CHECK_STR(seen, THREE);
    CHECK_EQ(nseen, 6);
    bh_journal_close(&j);
}

static void torn_last_frame_every_length(void)
{
    bh_journal j;
    off_t full, two;
    off_t cut;
    fresh(&j);
    write_three(&j);
    full = file_size();
    bh_journal_close(&j);
    /* the size after two frames: rewrite them alone */
    {
        bh_store_record a[3], b[1];
        bh_store s;
        fresh(&j);
        s = bh_journal_store(&j);
        a[0] = rec(BH_RECORD_EVENT, NULL, NULL, "{\"event\":\"TODO_CREATED\",\"webhook\":,\"currentValue\":{}}", 26);
        a[1] = rec(BH_RECORD_DELIVERY, "msg_1", "hook-a", "{\"id\":\"hook-a\"}", 0);
        a[2] = rec(BH_RECORD_DELIVERY, "msg_2", "hook-b", "{\"id\":\"hook-b\"}", 0);
        b[0] = rec(BH_RECORD_STATE, "msg_1", NULL, NULL, 0);
        b[0].state = BH_DELIVERY_DONE;
        append_array(&s, a, 3);
        append_array(&s, b, 1);
        two = file_size();
        bh_journal_close(&j);
    }
    for (cut = two; cut < full; cut++) {
        fresh(&j);
        write_three(&j);
        CHECK_EQ(ftruncate(j.fd, cut), 0);
        CHECK_EQ(load_all(&j), BH_OK);
        CHECK_EQ(nseen, 4); /* the two whole frames */
        CHECK_EQ(file_size(), two);
        /* the journal goes on after the cut */
        {
            bh_store s = bh_journal_store(&j);
            bh_store_record r = rec(BH_RECORD_STATE, "msg_2", NULL, NULL, 0);
            CHECK_EQ(append_array(&s, &r, 1), BH_OK);
        }
        CHECK_EQ(load_all(&j), BH_OK);
        CHECK_EQ(nseen, 5);
        bh_journal_close(&j);
    }
}

static void zeros_after_a_crash_are_torn(void)
{
    bh_journal j;
    uint8_t z[100];
    off_t before;
    memset(z, 0, sizeof z);
    fresh(&j);
    write_three(&j);
    before = file_size();
    CHECK_EQ(bh__write_all(j.fd, z, sizeof z), BH_OK);
    CHECK_EQ(load_all(&j), BH_OK);
    CHECK_STR(seen, THREE);
    CHECK_EQ(file_size(), before);
    bh_journal_close(&j);
}

static void damage_in_the_middle_is_reported(void)
{
    bh_journal j;
    off_t before;
    int fd;
    uint8_t c;
    fresh(&j);
    write_three(&j);
    bh_journal_close(&j);
    before = file_size();
    fd = open(path, O_RDWR);
    CHECK(pread(fd, &c, 1, 20) == 1);
    c ^= 0x01;
    CHECK(pwrite(fd, &c, 1, 20) == 1); /* inside the first frame's body */
    close(fd);
    CHECK_EQ(bh_journal_open(&j, path, loadbuf, sizeof loadbuf), BH_OK);
    CHECK_EQ(load_all(&j), BH_ECORRUPT);
    CHECK_EQ(nseen, 0);
    CHECK_EQ(file_size(), before); /* nothing cut */
    bh_journal_close(&j);
    /* a damaged magic in the middle too */
    fd = open(path, O_RDWR);
    c ^= 0x01;
    CHECK(pwrite(fd, &c, 1, 20) == 1);
    CHECK(pwrite(fd, "X", 1, 0) == 1);
    close(fd);
    CHECK_EQ(bh_journal_open(&j, path, loadbuf, sizeof loadbuf), BH_OK);
    CHECK_EQ(load_all(&j), BH_ECORRUPT);
    bh_journal_close(&j);
}

static void small_buffer_is_espace(void)
{
    bh_journal j;
    uint8_t small[16];
    fresh(&j);
    write_three(&j);
    bh_journal_close(&j);
    CHECK_EQ(bh_journal_open(&j, path, small, sizeof small), BH_OK);
    CHECK_EQ(load_all(&j), BH_ESPACE);
    bh_journal_close(&j);
}

static void compaction(void)
{
    bh_journal j;
    bh_store s;
    bh_store_record r[2];
    char tmp[160];
    fresh(&j);
    write_three(&j);
    s = bh_journal_store(&j);
    r[0] = rec(BH_RECORD_EVENT, NULL, NULL, "{\"event\":\"TAG_CREATED\",\"webhook\":}", 24);
    r[1] = rec(BH_RECORD_DELIVERY, "msg_3", "hook-a", "{}", 0);
    /* aborted: the old file stays */
    CHECK_EQ(s.rewrite(s.ctx, BH_REWRITE_BEGIN), BH_OK);
    CHECK_EQ(append_array(&s, r, 2), BH_OK);
    CHECK_EQ(s.rewrite(s.ctx, BH_REWRITE_ABORT), BH_OK);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    CHECK(access(tmp, F_OK) != 0);
    CHECK_EQ(load_all(&j), BH_OK);
    CHECK_STR(seen, THREE);
    /* committed: only the live records remain, and appends go on */
    CHECK_EQ(s.rewrite(s.ctx, BH_REWRITE_BEGIN), BH_OK);
    CHECK_EQ(append_array(&s, r, 2), BH_OK);
    CHECK_EQ(s.rewrite(s.ctx, BH_REWRITE_COMMIT), BH_OK);
    CHECK_EQ(load_all(&j), BH_OK);
    CHECK_STR(seen, "1/1/0///{\"event\":\"TAG_CREATED\",\"webhook\":}/24;"
                    "2/1/0/msg_3/hook-a/{}/0;");
    CHECK_EQ(append_array(&s, r, 1), BH_OK);
    CHECK_EQ(load_all(&j), BH_OK);
    CHECK_EQ(nseen, 3);
    CHECK_EQ(s.rewrite(s.ctx, BH_REWRITE_COMMIT), BH_EINVAL); /* not begun */
    bh_journal_close(&j);
}

static void crash_point_after_nth_write(void)
{
    int n;
    for (n = 1; n <= 3; n++) {
        bh_journal j;
        pid_t pid;
        int status = 0;
        unlink(path);
        pid = fork();
        if (pid == 0) {
            bh_journal_open(&j, path, loadbuf, sizeof loadbuf);
            j.crash_after = (uint32_t)n;
            write_three(&j);
            _exit(0);
        }
        waitpid(pid, &status, 0);
        CHECK(WIFEXITED(status));
        CHECK_EQ(WEXITSTATUS(status), 86);
        CHECK_EQ(bh_journal_open(&j, path, loadbuf, sizeof loadbuf), BH_OK);
        CHECK_EQ(load_all(&j), BH_OK);
        CHECK_EQ(nseen, n == 1 ? 3 : n == 2 ? 4 : 6);
        bh_journal_close(&j);
    }
}

static void bad_arguments(void)
{
    bh_journal j;
    char longpath[300];
    memset(longpath, 'a', sizeof longpath - 1);
    longpath[sizeof longpath - 1] = '\0';
    CHECK_EQ(bh_journal_open(&j, longpath, loadbuf, sizeof loadbuf), BH_EINVAL);
    CHECK_EQ(bh_journal_open(&j, "", loadbuf, sizeof loadbuf), BH_EINVAL);
    CHECK_EQ(bh_journal_open(&j, "/nonexistent-dir/x/journal", loadbuf, sizeof loadbuf), BH_EIO);
    {
        bh_store s;
        bh_store_record r = rec(BH_RECORD_EVENT, NULL, NULL, "ab", 3); /* head > data */
        fresh(&j);
        s = bh_journal_store(&j);
        CHECK_EQ(append_array(&s, &r, 1), BH_EINVAL);
        bh_journal_close(&j);
    }
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/bh-journal-XXXXXX");
    if (!mkdtemp(dir)) {
        printf("FAIL journal/setup: mkdtemp\n");
        return 1;
    }
    snprintf(path, sizeof path, "%s/journal", dir);
    T_RUN(crc32_check_value);
    T_RUN(round_trip);
    T_RUN(torn_last_frame_every_length);
    T_RUN(zeros_after_a_crash_are_torn);
    T_RUN(damage_in_the_middle_is_reported);
    T_RUN(small_buffer_is_espace);
    T_RUN(compaction);
    T_RUN(crash_point_after_nth_write);
    T_RUN(bad_arguments);
    unlink(path);
    rmdir(dir);
    return t_done();
}
