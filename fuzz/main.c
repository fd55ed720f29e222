/* fuzz/main.c: a driver that runs a harness on saved inputs without
   libFuzzer, so that the corpora and regression inputs also run where
   libFuzzer is not: gcc builds, MemorySanitizer, tcc, and the cross-built
   binaries under qemu. Link it with one fuzz_*.c file.

       replay FILE|DIR...   runs every file given, and every file in every
                            directory given (not recursively)

   Each input is copied into a heap block of exactly its size. Prints
   "replayed N inputs" and exits 0 (1 when no input was found); a failed
   property aborts. */
#define _POSIX_C_SOURCE 200809L
#if defined(__SIZEOF_LONG__) && __SIZEOF_LONG__ == 4
#define _FILE_OFFSET_BITS 64 /* 32-bit targets: large inode numbers */
#endif
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned long replayed;

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t n = 0, cap = 0;
    if (!f) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return 1;
    }
    for (;;) {
        size_t got;
        if (n == cap) {
            unsigned char *nb;
            cap = cap ? 2 * cap : 4096;
            nb = (unsigned char *)realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return 1;
            }
            buf = nb;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    fclose(f);
    {
        /* exactly n bytes, so that reading past the input is caught */
        unsigned char *exact = (unsigned char *)malloc(n ? n : 1);
        if (!exact) {
            free(buf);
            return 1;
        }
        if (n) memcpy(exact, buf, n);
        free(buf);
        fprintf(stderr, "replay: %s\n", path);
        LLVMFuzzerTestOneInput(exact, n);
        free(exact);
    }
    replayed++;
    return 0;
}

static int run_path(const char *path)
{
    struct stat st;
    DIR *d;
    struct dirent *e;
    int bad = 0;
    if (stat(path, &st) != 0) {
        if (errno == ENOENT) return 0; /* an absent folder: nothing to run */
        fprintf(stderr, "replay: cannot stat %s\n", path);
        return 1;
    }
    if (!S_ISDIR(st.st_mode)) return run_file(path);
    d = opendir(path);
    if (!d) return 1;
    while ((e = readdir(d)) != NULL) {
        char full[4096];
        if (e->d_name[0] == '.') continue;
        snprintf(full, sizeof full, "%s/%s", path, e->d_name);
        if (stat(full, &st) != 0) {
            fprintf(stderr, "replay: cannot stat %s\n", full);
            bad = 1;
        } else if (S_ISREG(st.st_mode)) {
            bad |= run_file(full);
        }
    }
    closedir(d);
    return bad;
}

int main(int argc, char **argv)
{
    int i, bad = 0;
    for (i = 1; i < argc; i++) bad |= run_path(argv[i]);
    printf("replayed %lu inputs\n", replayed);
    if (!replayed) fprintf(stderr, "replay: no inputs found\n");
    return bad || !replayed;
}
