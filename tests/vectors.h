/* tests/vectors.h: a tiny JSON reader for the test vectors only (the
   library's own reader is tested elsewhere and is not used here, so that a
   bug in it cannot hide a bug in the signatures). It reads a whole file into
   a static tree: objects, arrays, strings (with \" \\ \/ \n \t \uXXXX
   escapes, BMP only), numbers (as integers), true, false, null. */
#ifndef BH_TESTS_VECTORS_H
#define BH_TESTS_VECTORS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { VJ_NULL, VJ_BOOL, VJ_NUM, VJ_STR, VJ_ARR, VJ_OBJ };

typedef struct vj {
    int type;
    const char *key;   /* within an object, else NULL */
    const char *str;   /* VJ_STR: unescaped, NUL-terminated */
    size_t len;        /* VJ_STR: length */
    long long num;     /* VJ_NUM, VJ_BOOL */
    struct vj *child;  /* first child */
    struct vj *next;   /* next sibling */
} vj;

#define VJ_NODES 20000
static vj vj_nodes[VJ_NODES];
static size_t vj_used;
static char vj_pool[1 << 20];
static size_t vj_pool_used;

static const char *vj_p, *vj_end;

static void vj_ws(void)
{
    while (vj_p < vj_end && (*vj_p == ' ' || *vj_p == '\n' || *vj_p == '\r' || *vj_p == '\t'))
        vj_p++;
}

static void vj_put(unsigned c)
{
    if (vj_pool_used < sizeof vj_pool) vj_pool[vj_pool_used++] = (char)c;
}

static void vj_put_utf8(unsigned c)
{
    if (c < 0x80) vj_put(c);
    else if (c < 0x800) { vj_put(0xc0 | c >> 6); vj_put(0x80 | (c & 63)); }
    else { vj_put(0xe0 | c >> 12); vj_put(0x80 | ((c >> 6) & 63)); vj_put(0x80 | (c & 63)); }
}

static const char *vj_string(size_t *len)
{
    size_t start = vj_pool_used;
    vj_p++; /* the quote */
    while (vj_p < vj_end && *vj_p != '"') {
        if (*vj_p == '\\' && vj_p + 1 < vj_end) {
            char e = vj_p[1];
            vj_p += 2;
            switch (e) {
            case 'n': vj_put('\n'); break;
            case 't': vj_put('\t'); break;
            case 'r': vj_put('\r'); break;
            case 'b': vj_put('\b'); break;
            case 'f': vj_put('\f'); break;
            case 'u': {
                unsigned v = 0;
                sscanf(vj_p, "%4x", &v);
                vj_p += 4;
                vj_put_utf8(v);
                break;
            }
            default: vj_put((unsigned char)e); break;
            }
        } else {
            vj_put((unsigned char)*vj_p++);
        }
    }
    vj_p++;
    *len = vj_pool_used - start;
    vj_put(0);
    return vj_pool + start;
}

static vj *vj_value(void)
{
    vj *n;
    if (vj_used == VJ_NODES) return NULL;
    n = &vj_nodes[vj_used++];
    memset(n, 0, sizeof *n);
    vj_ws();
    if (vj_p >= vj_end) return n;
    if (*vj_p == '"') {
        n->type = VJ_STR;
        n->str = vj_string(&n->len);
    } else if (*vj_p == '{' || *vj_p == '[') {
        int obj = *vj_p == '{';
        vj **tail = &n->child;
        n->type = obj ? VJ_OBJ : VJ_ARR;
        vj_p++;
        for (;;) {
            const char *key = NULL;
            size_t klen;
            vj *c;
            vj_ws();
            if (vj_p < vj_end && (*vj_p == '}' || *vj_p == ']')) { vj_p++; break; }
            if (obj) {
                key = vj_string(&klen);
                vj_ws();
                vj_p++; /* ':' */
            }
            c = vj_value();
            if (!c) break;
            c->key = key;
            *tail = c;
            tail = &c->next;
            vj_ws();
            if (vj_p < vj_end && *vj_p == ',') vj_p++;
        }
    } else if (*vj_p == 't' || *vj_p == 'f') {
        n->type = VJ_BOOL;
        n->num = *vj_p == 't';
        vj_p += n->num ? 4 : 5;
    } else if (*vj_p == 'n') {
        n->type = VJ_NULL;
        vj_p += 4;
    } else {
        char *e;
        n->type = VJ_NUM;
        n->num = strtoll(vj_p, &e, 10);
        vj_p = e;
        while (vj_p < vj_end && strchr("0123456789.eE+-", *vj_p)) vj_p++;
    }
    return n;
}

/* Parse a file; NULL when it cannot be read. */
static vj *vj_load(const char *path)
{
    static char text[1 << 20];
    FILE *f = fopen(path, "rb");
    size_t n;
    if (!f) return NULL;
    n = fread(text, 1, sizeof text, f);
    fclose(f);
    vj_p = text;
    vj_end = text + n;
    return vj_value();
}

/* The member `key` of an object, or NULL. */
static vj *vj_get(const vj *o, const char *key)
{
    vj *c;
    if (!o || o->type != VJ_OBJ) return NULL;
    for (c = o->child; c; c = c->next)
        if (strcmp(c->key, key) == 0) return c;
    return NULL;
}

/* The string member `key`, or NULL. */
static const char *vj_str(const vj *o, const char *key)
{
    vj *c = vj_get(o, key);
    return c && c->type == VJ_STR ? c->str : NULL;
}

#endif
