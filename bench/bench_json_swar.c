/* The bench_json workload for bluehook built with BLUEHOOK_NO_ASM: the
   portable SWAR scanning path, in its own translation unit. */
#define BLUEHOOK_NO_ASM
#define BLUEHOOK_STATIC
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"

int bench_json_swar(const char *src, size_t len, void *toks, size_t cap,
                    char *a, char *b);

int bench_json_swar(const char *src, size_t len, void *toks, size_t cap,
                    char *a, char *b)
{
    bh_json doc;
    int ea, eb;
    if (bh_json_parse(&doc, src, len, (bh_json_tok *)toks, cap) != BH_OK) return 0;
    ea = bh_json_get(&doc, 0, "/event");
    eb = bh_json_get(&doc, 0, "/currentValue/todoList/project/id");
    return bh_json_string(&doc, ea, a, 256) > 0 && bh_json_string(&doc, eb, b, 256) > 0;
}
