// Validates XML files against a W3C XML Schema (XSD) with the JDK's own validator
// (javax.xml.validation, Xerces inside the JDK). A single-file program, run directly:
//
//   java tests/schemas/Validate.java tests/schemas/sitemap.xsd public/sitemap.xml [more.xml ...]
//
// Prints every warning and error as `file:line:column: level: message` and exits 1 if any
// file has an error (2 for bad arguments or an unreadable schema), 0 if all are valid.
// Nothing is fetched over the network: external DTDs and schema locations are refused, so
// the result depends only on the schema given here.

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

public class Validate {
    static final class Collect implements ErrorHandler {
        final String file;
        final List<String> errors = new ArrayList<>();

        Collect(String file) {
            this.file = file;
        }

        private String line(String level, SAXParseException e) {
            return file + ":" + e.getLineNumber() + ":" + e.getColumnNumber() + ": " + level + ": " + e.getMessage();
        }

        @Override
        public void warning(SAXParseException e) {
            System.out.println(line("warning", e));
        }

        @Override
        public void error(SAXParseException e) {
            String l = line("error", e);
            errors.add(l);
            System.out.println(l);
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            String l = line("fatal", e);
            errors.add(l);
            System.out.println(l);
            throw e; // the document cannot be read further
        }

        void fatalErrorQuietly(SAXParseException e) {
            String l = line("fatal", e);
            errors.add(l);
            System.out.println(l);
        }
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: java Validate.java SCHEMA.xsd FILE.xml [FILE.xml ...]");
            System.exit(2);
        }
        SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        Schema schema;
        Collect schemaErrors = new Collect(args[0]);
        try {
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setErrorHandler(schemaErrors);
            schema = factory.newSchema(new File(args[0]));
        } catch (SAXException e) {
            if (schemaErrors.errors.isEmpty()) System.out.println(args[0] + ": fatal: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (!schemaErrors.errors.isEmpty()) System.exit(2);

        int failed = 0;
        for (int i = 1; i < args.length; i++) {
            String file = args[i];
            Collect errors = new Collect(file);
            try {
                Validator validator = schema.newValidator();
                validator.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
                validator.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
                validator.setErrorHandler(errors);
                validator.validate(new StreamSource(new File(file)));
            } catch (SAXParseException e) {
                if (errors.errors.isEmpty()) errors.fatalErrorQuietly(e); // normally reported by fatalError already
            } catch (Exception e) {
                errors.errors.add(file + ": fatal: " + e);
                System.out.println(file + ": fatal: " + e);
            }
            if (!errors.errors.isEmpty()) failed++;
        }
        if (failed > 0) {
            System.out.println(failed + " of " + (args.length - 1) + " file(s) invalid against " + args[0]);
            System.exit(1);
        }
    }
}
