package infra

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
)

// cfnEnv evaluates the intrinsic functions of a synthesized template the
// way CloudFormation would at deploy time, for fixed pseudo parameters,
// parameter values (given, else the template's Default), and stand-ins for
// the attributes of resources and for imported values. Anything it cannot
// evaluate fails the test, so that a new kind of expression is noticed.
type cfnEnv struct {
	params     map[string]interface{} // the template's Parameters
	conditions map[string]interface{} // the template's Conditions
	values     map[string]string      // pseudo parameters, parameters and Refs of resources
	attrs      map[string]string      // "LogicalId.Attribute"
	imports    map[string]string      // export name (substring) → value
}

// newCfnEnv returns an environment for template tp: account 111111111111,
// region eu-west-1, partition aws, overridden or extended by values.
func newCfnEnv(tp assertions.Template, values map[string]string) *cfnEnv {
	var doc map[string]interface{}
	b, _ := json.Marshal(tp.ToJSON())
	_ = json.Unmarshal(b, &doc)
	e := &cfnEnv{values: map[string]string{
		"AWS::Region": "eu-west-1", "AWS::AccountId": "111111111111",
		"AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com",
	}, attrs: map[string]string{}, imports: map[string]string{}}
	e.params, _ = doc["Parameters"].(map[string]interface{})
	e.conditions, _ = doc["Conditions"].(map[string]interface{})
	for k, v := range values {
		e.values[k] = v
	}
	return e
}

func (e *cfnEnv) ref(name string) (string, error) {
	if v, ok := e.values[name]; ok {
		return v, nil
	}
	if p, ok := e.params[name].(map[string]interface{}); ok {
		if d, ok := p["Default"].(string); ok {
			return d, nil
		}
		return "", fmt.Errorf("parameter %s has no value and no default", name)
	}
	return "", fmt.Errorf("no value for Ref %s", name)
}

// eval returns the value of v: a string, or a list of strings.
func (e *cfnEnv) eval(v interface{}) (interface{}, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case float64, bool:
		return fmt.Sprint(v), nil
	case []interface{}:
		out := make([]interface{}, len(v))
		for i, x := range v {
			r, err := e.eval(x)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	case map[string]interface{}:
		if len(v) != 1 {
			return nil, fmt.Errorf("not an intrinsic function: %v", v)
		}
		for fn, arg := range v {
			return e.call(fn, arg)
		}
	}
	return nil, fmt.Errorf("cannot evaluate %v (%T)", v, v)
}

func (e *cfnEnv) call(fn string, arg interface{}) (interface{}, error) {
	switch fn {
	case "Ref":
		return e.ref(arg.(string))
	case "Fn::GetAtt":
		a := arg.([]interface{})
		key := a[0].(string) + "." + a[1].(string)
		if v, ok := e.attrs[key]; ok {
			return v, nil
		}
		return nil, fmt.Errorf("no value for Fn::GetAtt %s", key)
	case "Fn::ImportValue":
		name, err := e.evalString(arg)
		if err != nil {
			return nil, err
		}
		for part, v := range e.imports {
			if strings.Contains(name, part) {
				return v, nil
			}
		}
		return nil, fmt.Errorf("no value for Fn::ImportValue %s", name)
	case "Fn::Join":
		a := arg.([]interface{})
		parts, err := e.eval(a[1])
		if err != nil {
			return nil, err
		}
		var ss []string
		for _, p := range parts.([]interface{}) {
			ss = append(ss, p.(string))
		}
		return strings.Join(ss, a[0].(string)), nil
	case "Fn::Sub":
		tmpl, vars := "", map[string]interface{}{}
		switch a := arg.(type) {
		case string:
			tmpl = a
		case []interface{}:
			tmpl, vars = a[0].(string), a[1].(map[string]interface{})
		}
		var subErr error
		out := regexp.MustCompile(`\$\{([^}]+)\}`).ReplaceAllStringFunc(tmpl, func(m string) string {
			name := m[2 : len(m)-1]
			var s string
			var err error
			if v, ok := vars[name]; ok {
				s, err = e.evalString(v)
			} else {
				s, err = e.ref(name)
			}
			if err != nil && subErr == nil {
				subErr = err
			}
			return s
		})
		return out, subErr
	case "Fn::If":
		a := arg.([]interface{})
		ok, err := e.cond(a[0].(string))
		if err != nil {
			return nil, err
		}
		if ok {
			return e.eval(a[1])
		}
		return e.eval(a[2])
	}
	return nil, fmt.Errorf("cannot evaluate %s", fn)
}

func (e *cfnEnv) evalString(v interface{}) (string, error) {
	r, err := e.eval(v)
	if err != nil {
		return "", err
	}
	s, ok := r.(string)
	if !ok {
		return "", fmt.Errorf("%v is not a string", r)
	}
	return s, nil
}

// cond evaluates the template's condition name.
func (e *cfnEnv) cond(name string) (bool, error) {
	c, ok := e.conditions[name]
	if !ok {
		return false, fmt.Errorf("no condition %s", name)
	}
	return e.condExpr(c)
}

func (e *cfnEnv) condExpr(c interface{}) (bool, error) {
	m, ok := c.(map[string]interface{})
	if !ok || len(m) != 1 {
		return false, fmt.Errorf("not a condition: %v", c)
	}
	for fn, arg := range m {
		a, _ := arg.([]interface{})
		switch fn {
		case "Condition":
			return e.cond(arg.(string))
		case "Fn::Equals":
			x, err := e.evalString(a[0])
			if err != nil {
				return false, err
			}
			y, err := e.evalString(a[1])
			return x == y, err
		case "Fn::Not":
			v, err := e.condExpr(a[0])
			return !v, err
		case "Fn::And", "Fn::Or":
			want := fn == "Fn::Or"
			for _, x := range a {
				v, err := e.condExpr(x)
				if err != nil || v == want {
					return v, err
				}
			}
			return !want, nil
		}
		return false, fmt.Errorf("cannot evaluate condition %s", fn)
	}
	return false, nil
}

// str evaluates v to a string or fails the test.
func (e *cfnEnv) str(t *testing.T, v interface{}) string {
	t.Helper()
	s, err := e.evalString(v)
	if err != nil {
		t.Fatalf("evaluate %v: %v", v, err)
	}
	return s
}

// strList evaluates v to a list of strings or fails the test.
func (e *cfnEnv) strList(t *testing.T, v interface{}) []string {
	t.Helper()
	r, err := e.eval(v)
	if err != nil {
		t.Fatalf("evaluate %v: %v", v, err)
	}
	var out []string
	for _, x := range r.([]interface{}) {
		out = append(out, x.(string))
	}
	return out
}

// isTrue evaluates condition name or fails the test.
func (e *cfnEnv) isTrue(t *testing.T, name string) bool {
	t.Helper()
	v, err := e.cond(name)
	if err != nil {
		t.Fatalf("condition %s: %v", name, err)
	}
	return v
}
