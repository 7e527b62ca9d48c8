# variants.awk: the OpenCC part of variants.txt from TSCharacters.txt.
BEGIN { FS = "\t" }
/^#/ { next }
{ n = split($2, c, " "); if (n >= 1 && c[1] != $1) print $1 "\t" c[1] }
