# Installing bluehook and building against the installed copy, the three
# ways the README gives: make install + pkg-config, make install + CMake
# find_package, cmake --install + find_package, and CMake add_subdirectory.
# Each builds a copy of an example whose include names <bluehook.h>, in a
# folder with no bluehook.h beside it, so only the installed header serves;
# the pkg-config build is also run, fed a delivery signed by the installed
# CLI.
. tests/lib.sh
O=$B/check/install
rm -rf "$O"
mkdir -p "$O/src"
ROOT=$(pwd)
BODY=../shared/blue/todo_created.min.json

# the example as a user would copy it: the header comes from the include path
for ex in receiver_embedded receiver_posix; do
    sed 's|#include "../bluehook.h"|#include <bluehook.h>|' "examples/$ex.c" > "$O/src/$ex.c"
done

if ! make -s install PREFIX="$ROOT/$O/prefix" >>"$CLOG" 2>&1; then
    fail "install/make" "make install failed (see $CLOG)"; exit 0
fi
P=$O/prefix
if [ -f "$P/include/bluehook.h" ] && [ -x "$P/bin/bluehook" ] &&
    cmp -s "$P/include/bluehook.h" bluehook.h; then
    pass "install/make"
else
    fail "install/make" "header or CLI missing under $P"
fi

# pkg-config, then run it: one delivery signed by the installed CLI
if have pkg-config; then
    export PKG_CONFIG_PATH="$ROOT/$P/share/pkgconfig"
    version=$(pkg-config --modversion bluehook 2>/dev/null)
    want=$(sed -n 's/^#define BLUEHOOK_VERSION "\(.*\)"/\1/p' bluehook.h)
    [ "$version" = "$want" ] && pass "install/pkg-config-version" ||
        fail "install/pkg-config-version" "pkg-config says '$version', the header '$want'"
    if gcc $WARN -O2 $(pkg-config --cflags bluehook) -o "$O/rx-pc" \
        "$O/src/receiver_embedded.c" 2>>"$CLOG"; then
        sig=$("$P/bin/bluehook" sign --scheme blue --secret install-secret "$BODY")
        len=$(wc -c < "$BODY")
        answer=$( { printf 'POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'
                    printf '%s\r\nContent-Length: %s\r\n\r\n' "$sig" "$len"; cat "$BODY"; } |
                  BLUEHOOK_SECRET=install-secret "$O/rx-pc" 2>>"$CLOG")
        case $answer in
        "HTTP/1.1 200"*) pass "install/pkg-config-build-and-run" ;;
        *) fail "install/pkg-config-build-and-run" "answer: $(printf '%s' "$answer" | head -1)" ;;
        esac
    else
        fail "install/pkg-config-build-and-run" "the example did not build against the installed header"
    fi
    unset PKG_CONFIG_PATH
else
    skip "install/pkg-config" "pkg-config not installed"
fi

# CMake: a consumer project, three ways of finding bluehook
consumer() { # DIR MODE(find|subdir) [SUBDIR]
    mkdir -p "$1"
    cp "$O/src/receiver_posix.c" "$1/"
    {
        echo 'cmake_minimum_required(VERSION 3.13)'
        echo 'project(consumer C)'
        if [ "$2" = find ]; then
            echo 'find_package(bluehook 0.1 REQUIRED)'
        else
            echo "add_subdirectory(\"$3\" bluehook)"
        fi
        echo 'add_executable(receiver_posix receiver_posix.c)'
        echo 'target_link_libraries(receiver_posix PRIVATE bluehook::bluehook)'
    } > "$1/CMakeLists.txt"
}
cmake_build() { # NAME DIR [cmake args]
    local name=$1 dir=$2
    shift 2
    if cmake -S "$dir" -B "$dir/build" "$@" >>"$CLOG" 2>&1 &&
        cmake --build "$dir/build" >>"$CLOG" 2>&1 && [ -x "$dir/build/receiver_posix" ]; then
        pass "$name"
    else
        fail "$name" "the consumer did not configure or build (see $CLOG)"
    fi
}
if have cmake; then
    consumer "$O/find-make" find
    cmake_build "install/cmake-find-package-after-make-install" "$O/find-make" \
        -DCMAKE_PREFIX_PATH="$ROOT/$P"
    if cmake -S . -B "$O/self" >>"$CLOG" 2>&1 &&
        cmake --install "$O/self" --prefix "$ROOT/$O/prefix-cmake" >>"$CLOG" 2>&1; then
        consumer "$O/find-cmake" find
        cmake_build "install/cmake-find-package-after-cmake-install" "$O/find-cmake" \
            -DCMAKE_PREFIX_PATH="$ROOT/$O/prefix-cmake"
    else
        fail "install/cmake-find-package-after-cmake-install" "cmake --install failed"
    fi
    consumer "$O/subdir" subdir "$ROOT"
    cmake_build "install/cmake-add-subdirectory" "$O/subdir"
else
    skip "install/cmake" "cmake not installed"
fi
exit 0
