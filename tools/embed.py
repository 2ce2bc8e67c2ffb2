#!/usr/bin/env python3
"""Build step: embed files (the OpenAPI document, the migrations) in the binary.

Writes a C file defining `hp_embedded_files`, an array of {name, data, size}
ended by a zeroed entry; names are the files' base names.
"""
import os
import sys


def main():
    out, inputs = sys.argv[1], sys.argv[2:]
    with open(out, "w", encoding="ascii") as f:
        f.write("#include <stddef.h>\n#include \"haulpass/embedded.h\"\n\n")
        for i, path in enumerate(inputs):
            data = open(path, "rb").read()
            f.write("static const unsigned char file%d[] = {" % i)
            f.write(",".join(str(b) for b in data + b"\0"))
            f.write("};\n")
        f.write("\nconst struct hp_embedded_file hp_embedded_files[] = {\n")
        for i, path in enumerate(inputs):
            size = os.path.getsize(path)
            f.write('    {"%s", (const char *)file%d, %d},\n'
                    % (os.path.basename(path), i, size))
        f.write("    {NULL, NULL, 0},\n};\n")


if __name__ == "__main__":
    main()
